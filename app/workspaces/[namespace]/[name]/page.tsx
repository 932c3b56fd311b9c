import { notFound } from "next/navigation";

import { UsageCharts } from "@/components/chat/usage-charts";
import { ServingPanel } from "@/components/serving/serving-panel";
import { WorkspaceDetailView } from "@/components/workspaces/workspace-detail";
import { WorkspaceRefusal } from "@/components/workspaces/workspace-refusal";
import { getWorkspaceUsage } from "@/server/inference/get-workspace-usage";
import { getWorkspaceDetail } from "@/server/workspaces/get-workspace-detail";
import { requirePagePrincipal } from "@/server/workspaces/page-principal";
import { readUnlessRefused } from "@/server/workspaces/refused-read";
import { identityOf } from "@/server/workspaces/workspace-access";

import { deleteWorkspaceAction, updateAdaptersAction } from "./actions";

export const dynamic = "force-dynamic";

export default async function WorkspacePage({ params }: { params: Promise<{ namespace: string; name: string }> }) {
  const { namespace, name } = await params;
  const { principal, canWrite } = await requirePagePrincipal(`/workspaces/${namespace}/${name}`);
  const read = await readUnlessRefused(getWorkspaceDetail(namespace, name, identityOf(principal)));
  if (read instanceof Error) return <WorkspaceRefusal title={`${namespace}/${name}`} message={read.message} />;
  const detail = read;
  if (!detail) notFound();
  // Usage figures are a bonus on this page: without them the workspace is still worth showing.
  const usage = detail.workspace.inference ? await getWorkspaceUsage(namespace, name).catch(() => null) : null;
  return (
    <div className="flex flex-col gap-6">
      <WorkspaceDetailView
        initial={detail}
        canWrite={canWrite}
        deleteAction={deleteWorkspaceAction}
        updateAdaptersAction={updateAdaptersAction}
      />
      {detail.workspace.inference ? <ServingPanel namespace={namespace} name={name} /> : null}
      {usage ? (
        <section className="flex flex-col gap-2" data-testid="usage">
          <h2 className="text-sm font-semibold tracking-wide text-zinc-500 uppercase">Inference usage (24 h)</h2>
          <UsageCharts usage={usage} />
        </section>
      ) : null}
    </div>
  );
}
