import { InferenceSetList } from "@/components/inferencesets/inference-set-list";
import { WorkspaceList } from "@/components/workspaces/workspace-list";
import { applyListQuery, listQueryString, parseListQuery } from "@/components/workspaces/workspace-list-query";
import { getInferenceSetCache } from "@/server/inferencesets/inferenceset-cache";
import type { InferenceSetRow } from "@/server/inferencesets/summarize-inferenceset";
import { visibleInferenceSets } from "@/server/inferencesets/visible-inferencesets";
import { requirePagePrincipal } from "@/server/workspaces/page-principal";
import type { WorkspaceRow } from "@/server/workspaces/summarize-workspace";
import { identityOf, visibleRows } from "@/server/workspaces/workspace-access";
import { getWorkspaceCache } from "@/server/workspaces/workspace-cache";

export const dynamic = "force-dynamic";

// The server renders the first screenful; the event stream's snapshot brings the rest at once.
// Embedding all rows made the page ~450 KB of HTML with 1,000 workspaces.
const FIRST_ROWS = 60;
export const metadata = { title: "Workspaces" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function WorkspacesPage({ searchParams }: Props) {
  const query = parseListQuery(await searchParams);
  const { principal, canWrite } = await requirePagePrincipal(`/workspaces${listQueryString(query)}`);
  const cache = getWorkspaceCache();
  let error: string | null = null;
  let rows: WorkspaceRow[] = [];
  let sets: InferenceSetRow[] = [];
  try {
    await cache.ready();
    // Only the namespaces where this person may list Workspaces (cached per user, no list call).
    rows = await visibleRows(identityOf(principal), cache.listRows());
    sets = await visibleInferenceSets(identityOf(principal), await getInferenceSetCache().listRows());
  } catch (e) {
    error = (e as Error).message;
  }
  return (
    <div className="flex flex-col gap-4">
      <h1 className="text-xl font-semibold">Workspaces</h1>
      {error ? (
        <p
          role="alert"
          className="rounded-md bg-amber-50 p-3 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-200"
        >
          {error}
        </p>
      ) : null}
      <InferenceSetList rows={sets} />
      <WorkspaceList
        initialRows={applyListQuery(rows, query).slice(0, FIRST_ROWS)}
        initialTotal={rows.length}
        canWrite={canWrite}
        initialQuery={query}
      />
    </div>
  );
}
