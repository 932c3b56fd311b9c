import "server-only";

import type { V1Node } from "@kubernetes/client-node";

import { findSku } from "@/server/catalog";
import { LABEL_INSTANCE_TYPE } from "@/server/controller/constants";
import { isAlreadyExists, isConflict, isNotFound, type KubeClient } from "@/server/kube/kube-client";
import { NodeClaimConditionType as Type, type NodeClaim } from "@/server/kube/types/nodeclaim";

import { hasCondition, isTrue, withCondition } from "./claim-conditions";
import type { ProvisionerConfig } from "./config";
import { findLaunchFault } from "./launch-faults";
import { claimedInstanceType, nodeResources, renderNode } from "./render-node";

/** karpenter's finalizer: the claim stays until its Node is gone, so nothing leaks a VM. */
export const TERMINATION_FINALIZER = "karpenter.sh/termination";

export type ReconcileResult = { requeueAfterMs?: number };

export type ReconcileDeps = {
  client: KubeClient;
  config: ProvisionerConfig;
  now: () => Date;
  log: (msg: string, fields?: Record<string, unknown>) => void;
};

const claimPath = (name: string) => `/apis/karpenter.sh/v1/nodeclaims/${name}`;
const nodePath = (name: string) => `/api/v1/nodes/${name}`;
const MERGE_PATCH = "application/merge-patch+json";

/**
 * One step of a NodeClaim's life per call, in karpenter's order: finalizer → Launched →
 * Registered (the Node exists) → Initialized and Ready (KWOK reports the Node Ready). Each status
 * write triggers a watch event that brings the claim back for the next step.
 */
export async function reconcileNodeClaim(claim: NodeClaim, deps: ReconcileDeps): Promise<ReconcileResult> {
  if (claim.metadata.deletionTimestamp) return terminate(claim, deps);

  if (!claim.metadata.finalizers?.includes(TERMINATION_FINALIZER)) {
    await patchClaim(deps, claim, {
      metadata: {
        resourceVersion: claim.metadata.resourceVersion,
        finalizers: [...(claim.metadata.finalizers ?? []), TERMINATION_FINALIZER],
      },
    });
    return {};
  }

  if (!hasCondition(claim, Type.Launched)) return launch(claim, deps);
  if (!isTrue(claim, Type.Launched)) return {};
  if (!isTrue(claim, Type.Registered)) return register(claim, deps);
  if (!isTrue(claim, Type.Initialized)) return initialize(claim, deps);
  return {};
}

async function launch(claim: NodeClaim, deps: ReconcileDeps): Promise<ReconcileResult> {
  const created = Date.parse(String(claim.metadata.creationTimestamp ?? "")) || deps.now().getTime();
  const remaining = created + deps.config.PROVISIONER_DELAY_MS - deps.now().getTime();
  if (remaining > 0) return { requeueAfterMs: remaining };

  const instanceType = claimedInstanceType(claim);
  const sku = instanceType ? findSku(instanceType) : undefined;
  const fault = await findLaunchFault(deps.client, deps.config, instanceType, sku !== undefined);
  const now = deps.now();
  if (fault || !sku) {
    const failed = { status: "False" as const, reason: fault!.reason, message: fault!.message };
    let conditions = withCondition(claim.status?.conditions, { type: Type.Launched, ...failed }, now);
    conditions = withCondition(conditions, { type: Type.Ready, ...failed }, now);
    await patchStatus(deps, claim, { conditions });
    deps.log("launch failed", { nodeClaim: claim.metadata.name, instanceType, reason: fault!.reason });
    return {};
  }
  const resources = nodeResources(claim, sku);
  let conditions = withCondition(
    claim.status?.conditions,
    { type: Type.Launched, status: "True", reason: "Launched" },
    now,
  );
  conditions = withCondition(
    conditions,
    { type: Type.Ready, status: "Unknown", reason: "NotRegistered", message: "Node not registered with cluster" },
    now,
  );
  await patchStatus(deps, claim, {
    providerID: `kwok://${claim.metadata.name}`,
    capacity: resources,
    allocatable: resources,
    conditions,
  });
  // karpenter labels a launched claim with its instance type (kubectl's TYPE column reads it).
  await deps.client.request({
    method: "PATCH",
    path: claimPath(claim.metadata.name),
    body: { metadata: { labels: { [LABEL_INSTANCE_TYPE]: sku.name } } },
    contentType: MERGE_PATCH,
  });
  deps.log("launched", { nodeClaim: claim.metadata.name, instanceType });
  return {};
}

async function register(claim: NodeClaim, deps: ReconcileDeps): Promise<ReconcileResult> {
  const sku = findSku(claimedInstanceType(claim) ?? "");
  if (!sku) return {};
  try {
    await deps.client.request({ method: "POST", path: "/api/v1/nodes", body: renderNode(claim, sku) });
  } catch (error) {
    if (!isAlreadyExists(error)) throw error;
  }
  const conditions = withCondition(
    claim.status?.conditions,
    { type: Type.Registered, status: "True", reason: "Registered" },
    deps.now(),
  );
  await patchStatus(deps, claim, { nodeName: claim.metadata.name, conditions });
  deps.log("registered", { nodeClaim: claim.metadata.name, node: claim.metadata.name });
  return {};
}

async function initialize(claim: NodeClaim, deps: ReconcileDeps): Promise<ReconcileResult> {
  const nodeName = claim.status?.nodeName ?? claim.metadata.name;
  let node: V1Node;
  try {
    node = await deps.client.request<V1Node>({ method: "GET", path: nodePath(nodeName) });
  } catch (error) {
    if (isNotFound(error)) return { requeueAfterMs: 500 };
    throw error;
  }
  const ready = node.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True");
  if (!ready) return { requeueAfterMs: 250 };
  const now = deps.now();
  let conditions = withCondition(
    claim.status?.conditions,
    { type: Type.Initialized, status: "True", reason: "Initialized" },
    now,
  );
  conditions = withCondition(conditions, { type: Type.Ready, status: "True", reason: "Ready" }, now);
  await patchStatus(deps, claim, { conditions });
  deps.log("ready", { nodeClaim: claim.metadata.name, node: nodeName });
  return {};
}

async function terminate(claim: NodeClaim, deps: ReconcileDeps): Promise<ReconcileResult> {
  if (!claim.metadata.finalizers?.includes(TERMINATION_FINALIZER)) return {};
  const nodeName = claim.status?.nodeName ?? claim.metadata.name;
  try {
    await deps.client.request({ method: "DELETE", path: nodePath(nodeName) });
    return { requeueAfterMs: 200 };
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
  await patchClaim(deps, claim, {
    metadata: {
      resourceVersion: claim.metadata.resourceVersion,
      finalizers: claim.metadata.finalizers.filter((f) => f !== TERMINATION_FINALIZER),
    },
  });
  deps.log("terminated", { nodeClaim: claim.metadata.name, node: nodeName });
  return {};
}

/** Deletes the Node of a claim that disappeared while its finalizer was bypassed. */
export async function deleteOrphanNode(claim: NodeClaim, deps: ReconcileDeps): Promise<void> {
  try {
    await deps.client.request({ method: "DELETE", path: nodePath(claim.status?.nodeName ?? claim.metadata.name) });
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
}

// Patches carry the resourceVersion they were computed from: a stale cache then gets a 409 and
// the newer watch event recomputes, instead of overwriting conditions another step just wrote.
async function patchClaim(deps: ReconcileDeps, claim: NodeClaim, body: unknown): Promise<void> {
  await ignoreConflict(() =>
    deps.client.request({ method: "PATCH", path: claimPath(claim.metadata.name), body, contentType: MERGE_PATCH }),
  );
}

async function patchStatus(
  deps: ReconcileDeps,
  claim: NodeClaim,
  status: NonNullable<NodeClaim["status"]> & Record<string, unknown>,
) {
  await ignoreConflict(() =>
    deps.client.request({
      method: "PATCH",
      path: `${claimPath(claim.metadata.name)}/status`,
      body: { metadata: { resourceVersion: claim.metadata.resourceVersion }, status },
      contentType: MERGE_PATCH,
    }),
  );
}

async function ignoreConflict(call: () => Promise<unknown>): Promise<void> {
  try {
    await call();
  } catch (error) {
    if (!isConflict(error) && !isNotFound(error)) throw error;
  }
}
