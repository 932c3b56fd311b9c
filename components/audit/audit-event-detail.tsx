import type { AuditEventView } from "@/server/audit/list-audit-events";

import { diffRows } from "./diff-rows";
import { OutcomeBadge } from "./outcome-badge";

export type AuditEventRow = AuditEventView;

const show = (value: unknown) => (value === undefined ? "—" : JSON.stringify(value));

export function AuditEventDetail({ event }: { event: AuditEventRow }) {
  const rows = diffRows(event.diff);
  const facts: Array<[string, string | null]> = [
    ["Time", event.occurredAt],
    ["Actor", event.actorEmail],
    ["User id", event.actorUserId],
    ["API token", event.actorTokenId],
    ["Target", [event.targetKind, event.targetNamespace, event.targetName].filter(Boolean).join(" / ") || null],
    ["Request id", event.requestId],
    ["IP", event.ip],
    ["User agent", event.userAgent],
  ];
  return (
    <div className="flex flex-col gap-4 text-sm" data-testid="audit-detail">
      <div className="flex items-center gap-2">
        <OutcomeBadge outcome={event.outcome} />
        <p>{event.summary}</p>
      </div>
      <dl className="grid grid-cols-[8rem_1fr] gap-x-3 gap-y-1">
        {facts.map(([label, value]) => (
          <div key={label} className="contents">
            <dt className="text-zinc-500">{label}</dt>
            <dd className="font-mono text-xs break-all">{value ?? "—"}</dd>
          </div>
        ))}
      </dl>
      <section>
        <h3 className="mb-2 font-semibold">Changes</h3>
        {event.diff == null ? (
          <p className="text-zinc-500">No diff recorded.</p>
        ) : rows ? (
          <table className="w-full text-xs">
            <thead>
              <tr className="text-left text-zinc-500">
                <th className="py-1 pr-2">Field</th>
                <th className="py-1 pr-2">Before</th>
                <th className="py-1">After</th>
              </tr>
            </thead>
            <tbody className="font-mono">
              {rows.map((row) => (
                <tr key={row.field} className="border-t border-zinc-100 dark:border-zinc-800">
                  <td className="py-1 pr-2">{row.field}</td>
                  <td className="bg-red-50 py-1 pr-2 break-all text-red-800 dark:bg-red-950/40 dark:text-red-300">
                    {show(row.before)}
                  </td>
                  <td className="bg-emerald-50 py-1 break-all text-emerald-800 dark:bg-emerald-950/40 dark:text-emerald-300">
                    {show(row.after)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <pre className="overflow-x-auto rounded bg-zinc-50 p-2 text-xs dark:bg-zinc-900">
            {JSON.stringify(event.diff, null, 2)}
          </pre>
        )}
      </section>
    </div>
  );
}
