import "server-only";

import { getKubeClient } from "@/server/kube/get-kube-client";
import { ALL_WORKSPACES_PATH } from "@/server/kube/kube-paths";
import { mapKubeError } from "@/server/kube/map-kube-error";
import type { Workspace } from "@/server/kube/types/workspace";

export type AdapterAttachment = { namespace: string; workspace: string; strength: string | null; image: string | null };

/**
 * Every Workspace in the cluster that lists an adapter, keyed by adapter name. Read fresh from the
 * apiserver rather than a cache because deletion decisions depend on it.
 */
export async function findAdapterAttachments(): Promise<Map<string, AdapterAttachment[]>> {
  let items: Workspace[];
  try {
    const list = await (
      await getKubeClient()
    ).request<{ items: Workspace[] }>({ method: "GET", path: ALL_WORKSPACES_PATH });
    items = list.items;
  } catch (error) {
    throw mapKubeError(error, "list the workspaces that use adapters");
  }
  const byName = new Map<string, AdapterAttachment[]>();
  for (const workspace of items) {
    for (const adapter of workspace.inference?.adapters ?? []) {
      const name = adapter.source?.name;
      if (!name) continue;
      const entry: AdapterAttachment = {
        namespace: workspace.metadata!.namespace!,
        workspace: workspace.metadata!.name!,
        strength: adapter.strength ?? null,
        image: adapter.source.image ?? null,
      };
      byName.set(name, [...(byName.get(name) ?? []), entry]);
    }
  }
  return byName;
}
