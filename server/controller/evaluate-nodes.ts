import "server-only";

import type { V1Node } from "@kubernetes/client-node";

import { KARPENTER_UNAVAILABLE_MESSAGE, Message, Reason } from "@/lib/kaito/conditions";
import {
  LABEL_INSTANCE_TYPE,
  LABEL_WORKSPACE,
  LABEL_WORKSPACE_NAMESPACE,
  LABEL_WORKSPACE_UID,
  RESOURCE_GPU,
  userMatchLabels,
} from "@/lib/kaito/labels";
import { partitionResource } from "@/lib/kaito/partition";
import { nodeClaimCondition, NodeClaimConditionType, type NodeClaim } from "@/server/kube/types/nodeclaim";
import { targetNodeCount, type Workspace } from "@/server/kube/types/workspace";

import { truncateMessage } from "./classify-pod-failure";

export type ProvisionerMode = "nodeclaim" | "byo";

export type ConditionVerdict = { status: "True" | "False"; reason: string; message: string };

export type NodeEvaluation = {
  target: number;
  /** The Workspace's own NodeClaims (not being deleted). */
  ownClaims: NodeClaim[];
  /** Existing ready GPU nodes reused instead of provisioning (preferredNodes, matching labels). */
  reusedNodes: string[];
  /** How many NodeClaims should exist: target minus reused nodes. */
  claimsWanted: number;
  /** A terminal karpenter failure (no capacity, quota): do not wait, report it. */
  terminalFailure: boolean;
  workerNodes: string[];
  nodeClaimReady: ConditionVerdict;
  nodesReady: ConditionVerdict;
  resourceReady: ConditionVerdict;
};

const createdAt = (o: { metadata?: { creationTimestamp?: unknown } }) =>
  new Date(o.metadata?.creationTimestamp as string).getTime();

/**
 * Whether this Workspace made the claim: by the uid label, so that a Workspace recreated under the
 * same name never adopts (or deletes) its predecessor's claims. A claim without that label (made
 * by upstream Kaito, or by a release before the label) is this Workspace's when the name labels
 * match and it was created after the Workspace: a predecessor's claims are always older.
 */
export function ownsNodeClaim(ws: Workspace, claim: NodeClaim): boolean {
  const labels = claim.metadata.labels ?? {};
  if (labels[LABEL_WORKSPACE_UID] !== undefined)
    return !!ws.metadata.uid && labels[LABEL_WORKSPACE_UID] === ws.metadata.uid;
  return (
    labels[LABEL_WORKSPACE] === ws.metadata.name &&
    labels[LABEL_WORKSPACE_NAMESPACE] === ws.metadata.namespace &&
    createdAt(claim) >= createdAt(ws)
  );
}

export function isNodeReady(node: V1Node): boolean {
  return node.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True") ?? false;
}

export function nodeGpuCapacity(node: V1Node): number {
  return resourceCapacity(node, RESOURCE_GPU);
}

function resourceCapacity(node: V1Node, resource: string): number {
  return Number.parseInt(node.status?.capacity?.[resource] ?? "0", 10) || 0;
}

function matchesSelector(ws: Workspace, node: V1Node, mode: ProvisionerMode): boolean {
  const labels = node.metadata?.labels ?? {};
  // Reserved keys are ignored, as upstream does: they could only point at another Workspace's nodes.
  if (!Object.entries(userMatchLabels(ws.resource?.labelSelector)).every(([k, v]) => labels[k] === v)) return false;
  // BYO nodes describe their GPUs with NVIDIA GFD labels; their instance type may be anything.
  return mode === "byo" || labels[LABEL_INSTANCE_TYPE] === ws.resource?.instanceType;
}

function claimFailure(claims: NodeClaim[]): ConditionVerdict | undefined {
  for (const claim of claims) {
    for (const type of [NodeClaimConditionType.Launched, NodeClaimConditionType.Ready]) {
      const c = nodeClaimCondition(claim, type);
      if (c?.status === "False" && c.message?.includes(KARPENTER_UNAVAILABLE_MESSAGE))
        return { status: "False", reason: c.reason || Reason.NodeClaimNotReady, message: truncateMessage(c.message) };
    }
  }
  return undefined;
}

/**
 * Which nodes the Workspace runs on and whether they are ready (Kaito's EnsureNodesReady):
 * NodeClaims it created, nodes named in preferredNodes, then other ready nodes matching the
 * selector and instance type that no other Workspace's NodeClaim provisioned.
 */
export function evaluateNodes(input: {
  ws: Workspace;
  nodes: V1Node[];
  nodeClaims: NodeClaim[];
  mode: ProvisionerMode;
}): NodeEvaluation {
  const { ws, nodes, mode } = input;
  const target = targetNodeCount(ws);
  const ownClaims =
    mode === "byo" ? [] : input.nodeClaims.filter((c) => ownsNodeClaim(ws, c) && !c.metadata.deletionTimestamp);
  const ownClaimNodes = new Set(ownClaims.map((c) => c.status?.nodeName).filter((n): n is string => !!n));
  // A partitioned Workspace needs its MIG device or its count of whole GPUs on the node.
  const partition = ws.resource?.partition ? partitionResource(ws.resource.partition) : undefined;
  const hasGpus = (n: V1Node) =>
    partition ? resourceCapacity(n, partition.name) >= partition.quantity : nodeGpuCapacity(n) > 0;
  const usable = (n: V1Node) => isNodeReady(n) && hasGpus(n) && !n.metadata?.deletionTimestamp;
  // Reconciles run often over caches of thousands of nodes: look up by name without building a
  // map per pass, and work out which nodes others own only when there is a candidate to reuse.
  const byName = (name: string) => nodes.find((n) => n.metadata?.name === name);
  const preferredCandidates = (ws.resource?.preferredNodes ?? []).filter((name) => {
    const node = byName(name);
    return node && usable(node) && !ownClaimNodes.has(name);
  });
  const matchingCandidates = nodes
    .filter((n) => usable(n) && matchesSelector(ws, n, mode) && !ownClaimNodes.has(n.metadata?.name ?? ""))
    .map((n) => n.metadata?.name ?? "");
  let reusedNodes: string[] = [];
  if (preferredCandidates.length || matchingCandidates.length) {
    const otherClaimNodes = new Set(
      input.nodeClaims
        .filter((c) => !ownsNodeClaim(ws, c))
        .map((c) => c.status?.nodeName)
        .filter((n): n is string => !!n),
    );
    // karpenter copies a NodeClaim's labels onto its Node: a node labelled for another Workspace
    // is that Workspace's, even when its NodeClaim is outside what this worker watches.
    const labelledForOther = (name: string) => {
      const labels = byName(name)?.metadata?.labels ?? {};
      const owner = labels[LABEL_WORKSPACE];
      const ownerUid = labels[LABEL_WORKSPACE_UID];
      if (ownerUid !== undefined) return ownerUid !== ws.metadata.uid;
      return !!owner && (owner !== ws.metadata.name || labels[LABEL_WORKSPACE_NAMESPACE] !== ws.metadata.namespace);
    };
    const free = (name: string) => !otherClaimNodes.has(name) && !labelledForOther(name);
    const preferred = preferredCandidates.filter(free);
    const matching = matchingCandidates.filter((name) => free(name) && !preferred.includes(name)).sort();
    reusedNodes = [...preferred, ...matching].slice(0, target);
  }
  const claimsWanted = mode === "byo" ? 0 : Math.max(0, target - reusedNodes.length);

  const readyClaims = ownClaims.filter((c) => nodeClaimCondition(c, NodeClaimConditionType.Ready)?.status === "True");
  const failure = claimFailure(ownClaims);
  let nodeClaimReady: ConditionVerdict;
  if (readyClaims.length >= claimsWanted)
    nodeClaimReady = { status: "True", reason: Reason.NodeClaimsReady, message: Message.NodeClaimsReady };
  else
    nodeClaimReady = failure ?? {
      status: "False",
      reason: Reason.NodeClaimNotReady,
      message: Message.NodeClaimNotReady,
    };

  const claimNodes = [...ownClaimNodes]
    .sort()
    .map((name) => byName(name))
    .filter((n): n is V1Node => !!n);
  const readyClaimNodes = claimNodes.filter(isNodeReady);
  const usableClaimNodes = readyClaimNodes.filter(usable);
  const workerNodes = [...usableClaimNodes.map((n) => n.metadata?.name ?? ""), ...reusedNodes].slice(0, target);
  let nodesReady: ConditionVerdict;
  if (workerNodes.length >= target)
    nodesReady = { status: "True", reason: Reason.NodesReady, message: Message.NodesReady };
  else if (readyClaimNodes.length > usableClaimNodes.length)
    // Ready but no nvidia.com/gpu capacity yet: the device plugin has not registered.
    nodesReady = { status: "False", reason: Reason.NodePluginsNotReady, message: Message.NodePluginsNotReady };
  else nodesReady = { status: "False", reason: Reason.NodeNotReady, message: Message.NodesNotReady };

  const resourceReady: ConditionVerdict =
    nodeClaimReady.status === "False"
      ? nodeClaimReady
      : nodesReady.status === "False"
        ? nodesReady
        : { status: "True", reason: Reason.ResourceReady, message: Message.ResourceReady };

  return {
    target,
    ownClaims,
    reusedNodes,
    claimsWanted,
    terminalFailure: !!failure && nodeClaimReady.status === "False",
    workerNodes: [...workerNodes].sort(),
    nodeClaimReady,
    nodesReady,
    resourceReady,
  };
}
