import "server-only";

import { createHash } from "node:crypto";

import {
  KAITO_GROUP,
  KAITO_NODECLASS_KIND,
  KAITO_NODECLASS_NAME,
  KAITO_NODEPOOL,
  NODECLAIM_API_VERSION,
} from "@/lib/kaito/api";
import {
  ANNOTATION_DO_NOT_DISRUPT,
  LABEL_INSTANCE_TYPE,
  LABEL_NODEPOOL,
  LABEL_OS,
  LABEL_WORKSPACE,
  LABEL_WORKSPACE_NAMESPACE,
  LABEL_WORKSPACE_UID,
  TAINT_SKU_KEY,
  TAINT_SKU_VALUE,
  userMatchLabels,
} from "@/lib/kaito/labels";
import { DEFAULT_DISK_GIB, findPreset } from "@/lib/kaito/presets";
import type { NodeClaim } from "@/server/kube/types/nodeclaim";
import { workspacePresetName, type Workspace } from "@/server/kube/types/workspace";

/**
 * Upstream names NodeClaims `ws` + 9 random hex characters. Ours are derived from the
 * Workspace uid and a slot number instead: the same 11-character shape, but a worker that
 * restarts (or races a stale cache) computes the same name again and gets AlreadyExists
 * rather than provisioning a second GPU node.
 */
export function nodeClaimName(workspaceUid: string, slot: number): string {
  return `ws${createHash("sha256").update(`${workspaceUid}/${slot}`).digest("hex").slice(0, 9)}`;
}

export function nodeClaimLabels(ws: Workspace): Record<string, string> {
  return {
    ...userMatchLabels(ws.resource?.labelSelector),
    [LABEL_NODEPOOL]: KAITO_NODEPOOL,
    [LABEL_WORKSPACE]: ws.metadata.name,
    [LABEL_WORKSPACE_NAMESPACE]: ws.metadata.namespace,
    ...(ws.metadata.uid ? { [LABEL_WORKSPACE_UID]: ws.metadata.uid } : {}),
  };
}

/** A NodeClaim for one GPU node of the Workspace (docs/kaito-api.md §3). No ownerReference: it is cluster-scoped. */
export function renderNodeClaim(ws: Workspace, slot: number): NodeClaim {
  const instanceType = ws.resource?.instanceType ?? "";
  const preset = findPreset(workspacePresetName(ws) ?? "");
  const diskGiB = preset?.diskGiB ?? DEFAULT_DISK_GIB;
  return {
    apiVersion: NODECLAIM_API_VERSION,
    kind: "NodeClaim",
    metadata: {
      name: nodeClaimName(ws.metadata.uid ?? `${ws.metadata.namespace}/${ws.metadata.name}`, slot),
      labels: nodeClaimLabels(ws),
      annotations: { [ANNOTATION_DO_NOT_DISRUPT]: "true" },
    },
    spec: {
      nodeClassRef: { group: KAITO_GROUP, kind: KAITO_NODECLASS_KIND, name: KAITO_NODECLASS_NAME },
      taints: [{ key: TAINT_SKU_KEY, value: TAINT_SKU_VALUE, effect: "NoSchedule" }],
      requirements: [
        { key: LABEL_NODEPOOL, operator: "In", values: [KAITO_NODEPOOL] },
        { key: LABEL_INSTANCE_TYPE, operator: "In", values: [instanceType] },
        { key: LABEL_OS, operator: "In", values: ["linux"] },
      ],
      resources: { requests: { storage: `${diskGiB}Gi` } },
    },
  };
}
