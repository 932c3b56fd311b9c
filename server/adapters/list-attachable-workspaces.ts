import "server-only";

import { ConditionType } from "@/lib/kaito/conditions";
import type { KubeIdentity } from "@/server/kube/kube-client";
import { isVisible, visibleNamespaces } from "@/server/workspaces/workspace-access";
import { getWorkspaceCache } from "@/server/workspaces/workspace-cache";

export type AttachableWorkspace = {
  namespace: string;
  name: string;
  preset: string | null;
  adapterCount: number;
  /** InferenceReady is True: the adapter will be served as soon as the rollout ends. */
  ready: boolean;
};

/**
 * Inference Workspaces (tuning ones take no adapters) in the namespaces where the person may list
 * Workspaces, for the attach form's picker: from the web's watch cache, so a page view costs the
 * apiserver nothing. The attach itself is sent as the person, who may still be refused.
 */
export async function listAttachableWorkspaces(as: KubeIdentity): Promise<AttachableWorkspace[]> {
  const cache = getWorkspaceCache();
  await cache.ready();
  const rows = cache.listRows();
  const visible = await visibleNamespaces(
    as,
    rows.map((r) => r.namespace),
  );
  return rows
    .filter((row) => isVisible(visible, row.namespace))
    .flatMap((row) => cache.get(row.namespace, row.name) ?? [])
    .filter((w) => w.inference && !w.metadata?.deletionTimestamp)
    .map((w) => ({
      namespace: w.metadata.namespace,
      name: w.metadata.name,
      preset: w.inference!.preset?.name ?? null,
      adapterCount: w.inference!.adapters?.length ?? 0,
      ready: !!w.status?.conditions?.some((c) => c.type === ConditionType.InferenceReady && c.status === "True"),
    }))
    .sort((a, b) => `${a.namespace}/${a.name}`.localeCompare(`${b.namespace}/${b.name}`));
}
