import "server-only";

import { KAITO_GROUP, WORKSPACE_PLURAL, WORKSPACE_VERSION } from "@/lib/kaito/api";
import type { Workspace } from "@/server/kube/types/workspace";
import { kubeClients } from "@/server/workspaces/kube-clients";
import { mapKubeError } from "@/server/workspaces/map-kube-error";

export type AttachableWorkspace = { namespace: string; name: string; preset: string | null; adapterCount: number };

/** Inference Workspaces (tuning ones take no adapters), for the attach form's picker. */
export async function listAttachableWorkspaces(): Promise<AttachableWorkspace[]> {
  try {
    const list = (await kubeClients().custom.listClusterCustomObject({
      group: KAITO_GROUP,
      version: WORKSPACE_VERSION,
      plural: WORKSPACE_PLURAL,
    })) as { items: Workspace[] };
    return list.items
      .filter((w) => w.inference && !w.metadata?.deletionTimestamp)
      .map((w) => ({
        namespace: w.metadata!.namespace!,
        name: w.metadata!.name!,
        preset: w.inference!.preset?.name ?? null,
        adapterCount: w.inference!.adapters?.length ?? 0,
      }))
      .sort((a, b) => `${a.namespace}/${a.name}`.localeCompare(`${b.namespace}/${b.name}`));
  } catch (error) {
    throw mapKubeError(error, "list workspaces");
  }
}
