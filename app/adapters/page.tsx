import Link from "next/link";

import { AdapterTable } from "@/components/adapters/adapter-table";
import { adapterDeps } from "@/server/adapters/adapter-deps";
import { requirePrincipal } from "@/server/auth/require-principal";
import { can } from "@/server/auth/permissions";
import { listAdapters } from "@/server/adapters/list-adapters";
import { identityOf } from "@/server/workspaces/workspace-access";

export const dynamic = "force-dynamic";
export const metadata = { title: "Adapters" };

export default async function AdaptersPage() {
  const principal = await requirePrincipal("read");
  const { adapters, clusterError } = await listAdapters({ ...(await adapterDeps()), as: identityOf(principal) });
  return (
    <div className="flex flex-col gap-4">
      <div className="flex items-center justify-between">
        <h1 className="text-xl font-semibold">LoRA adapters</h1>
        {can(principal.role, "adapter:write") ? (
          <Link
            href="/adapters/new"
            className="rounded-md bg-blue-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-blue-700"
          >
            Upload adapter
          </Link>
        ) : null}
      </div>
      {clusterError ? (
        <p
          role="alert"
          className="rounded-md bg-amber-50 p-3 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-200"
        >
          Attached workspaces are unknown: {clusterError}
        </p>
      ) : null}
      <AdapterTable adapters={adapters} />
    </div>
  );
}
