import { notFound } from "next/navigation";

import { WorkspaceDetailView } from "@/components/workspaces/workspace-detail";
import { getWorkspaceDetail } from "@/server/workspaces/get-workspace-detail";
import { requirePagePrincipal } from "@/server/workspaces/page-principal";

import { deleteWorkspaceAction, updateAdaptersAction } from "./actions";

export const dynamic = "force-dynamic";

export default async function WorkspacePage({ params }: { params: Promise<{ namespace: string; name: string }> }) {
  const { namespace, name } = await params;
  const { canWrite } = await requirePagePrincipal(`/workspaces/${namespace}/${name}`);
  const detail = await getWorkspaceDetail(namespace, name);
  if (!detail) notFound();
  return (
    <main className="p-6">
      <WorkspaceDetailView
        initial={detail}
        canWrite={canWrite}
        deleteAction={deleteWorkspaceAction}
        updateAdaptersAction={updateAdaptersAction}
      />
    </main>
  );
}
