import Link from "next/link";
import { notFound } from "next/navigation";
import { stringify } from "yaml";

import { EditWorkspace } from "@/components/workspaces/edit-workspace";
import { WorkspaceRefusal } from "@/components/workspaces/workspace-refusal";
import { editableWorkspace } from "@/lib/kaito/workspace-immutability";
import { catalogForBrowser } from "@/server/workspaces/catalog-for-browser";
import { getWorkspace } from "@/server/workspaces/get-workspace";
import { requirePagePrincipal } from "@/server/workspaces/page-principal";
import { readUnlessRefused } from "@/server/workspaces/refused-read";
import { identityOf } from "@/server/workspaces/workspace-access";

import { updateWorkspaceAction } from "./actions";

export const dynamic = "force-dynamic";
export const metadata = { title: "Edit workspace" };

export default async function EditWorkspacePage({ params }: { params: Promise<{ namespace: string; name: string }> }) {
  const { namespace, name } = await params;
  const { principal, canWrite } = await requirePagePrincipal(`/workspaces/${namespace}/${name}/edit`);
  const back = (
    <Link href={`/workspaces/${namespace}/${name}`} className="text-blue-700 underline dark:text-blue-400">
      Back to {name}
    </Link>
  );
  if (!canWrite) {
    return (
      <div>
        <h1 className="mb-2 text-xl font-semibold">Edit workspace {name}</h1>
        <p role="alert" className="text-sm text-zinc-600 dark:text-zinc-400">
          Your role is read-only: editing workspaces needs the operator or admin role. {back}
        </p>
      </div>
    );
  }
  const workspace = await readUnlessRefused(getWorkspace(namespace, name, identityOf(principal)));
  if (workspace instanceof Error)
    return <WorkspaceRefusal title={`Edit workspace ${namespace}/${name}`} message={workspace.message} />;
  if (!workspace) notFound();
  const resourceVersion = workspace.metadata.resourceVersion ?? "";
  return (
    <div className="flex flex-col gap-4">
      <div className="flex items-baseline gap-3">
        <h1 className="text-xl font-semibold">
          Edit workspace {namespace}/{name}
        </h1>
        <span className="text-xs text-zinc-600 dark:text-zinc-400">resourceVersion {resourceVersion}</span>
      </div>
      {/* Keyed by version: "Load the latest version" re-renders this page and starts a fresh edit. */}
      <EditWorkspace
        key={resourceVersion}
        catalog={catalogForBrowser()}
        namespace={namespace}
        name={name}
        initialYaml={stringify(editableWorkspace(workspace))}
        resourceVersion={resourceVersion}
        updateAction={updateWorkspaceAction}
      />
    </div>
  );
}
