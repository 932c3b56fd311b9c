import "server-only";

import type { V1NodeSelectorRequirement, V1ObjectMeta, V1Taint } from "@kubernetes/client-node";

/** The subset of karpenter.sh/v1 NodeClaim the controller writes and reads. Cluster-scoped. */
export type NodeClaimCondition = {
  type: string;
  status: "True" | "False" | "Unknown";
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
};

export type NodeClaim = {
  apiVersion: string;
  kind: "NodeClaim";
  metadata: V1ObjectMeta & { name: string };
  spec: {
    nodeClassRef: { group: string; kind: string; name: string };
    taints?: V1Taint[];
    requirements: V1NodeSelectorRequirement[];
    resources?: { requests?: Record<string, string> };
  };
  status?: {
    nodeName?: string;
    providerID?: string;
    capacity?: Record<string, string>;
    conditions?: NodeClaimCondition[];
  };
};

export const NodeClaimConditionType = {
  Launched: "Launched",
  Registered: "Registered",
  Initialized: "Initialized",
  Ready: "Ready",
} as const;

export function nodeClaimCondition(claim: NodeClaim, type: string): NodeClaimCondition | undefined {
  return claim.status?.conditions?.find((c) => c.type === type);
}
