import { notFound } from "next/navigation";

import { AdapterDetail } from "@/components/adapters/adapter-detail";
import { adapterDeps } from "@/server/adapters/adapter-deps";
import { requirePrincipal } from "@/server/auth/require-principal";
import { can } from "@/server/auth/permissions";
import { compareBaseModels } from "@/server/adapters/base-model-compatibility";
import { getAdapter } from "@/server/adapters/list-adapters";
import { listAttachableWorkspaces, type AttachableWorkspace } from "@/server/adapters/list-attachable-workspaces";
import { identityOf } from "@/server/workspaces/workspace-access";

import { attachAdapterAction, deleteAdapterAction, detachAdapterAction } from "../actions";

export const dynamic = "force-dynamic";

export default async function AdapterPage({ params }: { params: Promise<{ name: string }> }) {
  const principal = await requirePrincipal("read");
  const { name } = await params;
  const adapter = await getAdapter(name, { ...(await adapterDeps()), as: identityOf(principal) });
  if (!adapter) notFound();
  let workspaces: AttachableWorkspace[] = [];
  let clusterError: string | null = null;
  try {
    workspaces = await listAttachableWorkspaces(identityOf(principal));
  } catch (error) {
    clusterError = (error as Error).message;
  }
  return (
    <div className="flex flex-col gap-4">
      <AdapterDetail
        adapter={adapter}
        workspaces={workspaces.map((w) => ({ ...w, match: compareBaseModels(adapter.baseModel, w.preset) }))}
        clusterError={clusterError}
        canWrite={can(principal.role, "adapter:write")}
        actions={{ attach: attachAdapterAction, detach: detachAdapterAction, remove: deleteAdapterAction }}
      />
    </div>
  );
}
