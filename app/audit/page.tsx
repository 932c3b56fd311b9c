import Link from "next/link";

import { AuditFilters, type AuditFilterValues } from "@/components/audit/audit-filters";
import { AuditTable } from "@/components/audit/audit-table";
import { auditFilterSchema, filterQuery } from "@/server/audit/audit-filter";
import { listAuditActions, listAuditEvents } from "@/server/audit/list-audit-events";
import { requirePrincipal } from "@/server/auth/require-principal";

export const metadata = { title: "Audit log · kaito-dashboard" };

type Search = Record<string, string | string[] | undefined>;

export default async function AuditPage({ searchParams }: { searchParams: Promise<Search> }) {
  await requirePrincipal("read");
  const raw = Object.fromEntries(Object.entries(await searchParams).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]));
  const values = raw as AuditFilterValues;
  const parsed = auditFilterSchema.safeParse(raw);
  const errors: Record<string, string[]> = {};
  if (!parsed.success)
    for (const issue of parsed.error.issues) (errors[String(issue.path[0] ?? "q")] ??= []).push(issue.message);

  const [page, actions] = await Promise.all([parsed.success ? listAuditEvents(parsed.data) : null, listAuditActions()]);
  const query = parsed.success ? filterQuery(parsed.data) : new URLSearchParams();
  const next = page?.nextCursor ? `/audit?${new URLSearchParams([...query, ["cursor", page.nextCursor]])}` : null;
  const exportHref = (format: string) => `/api/audit/export?${new URLSearchParams([...query, ["format", format]])}`;

  return (
    <div className="flex flex-col gap-4">
      <div className="flex flex-wrap items-end justify-between gap-2">
        <div>
          <h1 className="text-2xl font-semibold">Audit log</h1>
          <p className="text-sm text-zinc-500">Every change, login and refused attempt — append-only, newest first.</p>
        </div>
        {parsed.success ? (
          <div className="flex gap-2 text-sm">
            <a
              href={exportHref("csv")}
              className="rounded-md border border-zinc-300 px-3 py-1.5 hover:bg-zinc-50 dark:border-zinc-700 dark:hover:bg-zinc-900"
              download
            >
              Export CSV
            </a>
            <a
              href={exportHref("ndjson")}
              className="rounded-md border border-zinc-300 px-3 py-1.5 hover:bg-zinc-50 dark:border-zinc-700 dark:hover:bg-zinc-900"
              download
            >
              Export NDJSON
            </a>
          </div>
        ) : null}
      </div>
      <AuditFilters values={values} errors={errors} actions={actions} />
      {page ? (
        <AuditTable events={page.events} />
      ) : (
        <p role="alert" className="text-sm text-red-700 dark:text-red-400">
          Fix the highlighted filters to see events.
        </p>
      )}
      <nav aria-label="Pages" className="flex gap-3 text-sm">
        {parsed.success && parsed.data.cursor ? (
          <Link href={`/audit?${query}`} className="hover:underline">
            ← Newest
          </Link>
        ) : null}
        {next ? (
          <Link href={next} className="hover:underline" data-testid="older-page">
            Older →
          </Link>
        ) : null}
      </nav>
    </div>
  );
}
