import { WorkspaceList } from "@/components/workspaces/workspace-list";
import { requirePagePrincipal } from "@/server/workspaces/page-principal";
import { getWorkspaceCache } from "@/server/workspaces/workspace-cache";

export const dynamic = "force-dynamic";
export const metadata = { title: "Workspaces" };

export default async function WorkspacesPage() {
  const { canWrite } = await requirePagePrincipal("/workspaces");
  const cache = getWorkspaceCache();
  let error: string | null = null;
  try {
    await cache.ready();
  } catch (e) {
    error = (e as Error).message;
  }
  return (
    <main className="flex flex-col gap-4 p-6">
      <h1 className="text-xl font-semibold">Workspaces</h1>
      {error ? (
        <p
          role="alert"
          className="rounded-md bg-amber-50 p-3 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-200"
        >
          {error}
        </p>
      ) : null}
      <WorkspaceList initialRows={cache.listRows()} canWrite={canWrite} />
    </main>
  );
}
