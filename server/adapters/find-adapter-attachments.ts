import "server-only";

import { KAITO_GROUP, WORKSPACE_PLURAL, WORKSPACE_VERSION } from "@/lib/kaito/api";
import type { Workspace } from "@/server/kube/types/workspace";
import { kubeClients } from "@/server/workspaces/kube-clients";
import { mapKubeError } from "@/server/workspaces/map-kube-error";

export type AdapterAttachment = { namespace: string; workspace: string; strength: string | null; image: string | null };

/**
 * Every Workspace in the cluster that lists an adapter, keyed by adapter name. Read fresh from the
 * apiserver rather than a cache because deletion decisions depend on it.
 */
export async function findAdapterAttachments(): Promise<Map<string, AdapterAttachment[]>> {
  let items: Workspace[];
  try {
    const list = (await kubeClients().custom.listClusterCustomObject({
      group: KAITO_GROUP,
      version: WORKSPACE_VERSION,
      plural: WORKSPACE_PLURAL,
    })) as { items: Workspace[] };
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
