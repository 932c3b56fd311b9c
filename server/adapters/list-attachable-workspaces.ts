import "server-only";

import { getKubeClient } from "@/server/kube/get-kube-client";
import { ALL_WORKSPACES_PATH } from "@/server/kube/kube-paths";
import { mapKubeError } from "@/server/kube/map-kube-error";
import type { Workspace } from "@/server/kube/types/workspace";

export type AttachableWorkspace = { namespace: string; name: string; preset: string | null; adapterCount: number };

/** Inference Workspaces (tuning ones take no adapters), for the attach form's picker. */
export async function listAttachableWorkspaces(): Promise<AttachableWorkspace[]> {
  try {
    const list = await (
      await getKubeClient()
    ).request<{ items: Workspace[] }>({ method: "GET", path: ALL_WORKSPACES_PATH });
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
