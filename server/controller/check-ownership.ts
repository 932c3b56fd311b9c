import "server-only";

import type { V1ObjectMeta } from "@kubernetes/client-node";

import type { Workspace } from "@/server/kube/types/workspace";

/** The object a Workspace needs but may not touch, named as `kubectl` names it. */
export type ResourceConflict = { kind: string; namespace?: string; name: string; owner?: string };

/** True when the object's controller ownerReference is this Workspace (by uid, so never a predecessor of the same name). */
export function isControlledBy(ws: Workspace, meta: V1ObjectMeta | undefined): boolean {
  const uid = ws.metadata.uid;
  return !!uid && (meta?.ownerReferences ?? []).some((r) => r.controller && r.uid === uid);
}

export function resourceConflict(kind: string, meta: V1ObjectMeta | undefined): ResourceConflict {
  const controller = meta?.ownerReferences?.find((r) => r.controller);
  return {
    kind,
    namespace: meta?.namespace,
    name: meta?.name ?? "",
    owner: controller ? `${controller.kind} ${controller.name}` : undefined,
  };
}

/** The ResourceReady message: which object, whose it is, and that the controller leaves it alone. */
export function describeConflict(conflict: ResourceConflict): string {
  const object = `${conflict.kind} ${conflict.namespace ? `${conflict.namespace}/` : ""}${conflict.name}`;
  const whose = conflict.owner ? `is controlled by ${conflict.owner}` : "was not created by this Workspace";
  return `${object} already exists and ${whose}: left untouched; rename the Workspace or remove that object`;
}
