import "server-only";

import { findSku } from "@/lib/kaito/gpu-skus";
import { LABEL_INSTANCE_TYPE } from "@/lib/kaito/labels";
import { isAlreadyExists, isConflict, isNotFound, type KubeClient } from "@/server/kube/kube-client";
import { NodeClaimConditionType as Type, type NodeClaim } from "@/server/kube/types/nodeclaim";

import { hasCondition, isTrue, withCondition } from "./claim-conditions";
import type { ProvisionerConfig } from "./config";
import { drainNode } from "./drain-node";
import { findLaunchFault } from "./launch-faults";
import { claimedInstanceType, nodeResources, renderNode } from "./render-node";

/** karpenter's finalizer: the claim stays until its Node is gone, so nothing leaks a VM. */
export const TERMINATION_FINALIZER = "karpenter.sh/termination";

/**
 * `resourceVersion`: the claim's version after this pass's write (each pass writes at most once),
 * undefined when it wrote nothing.
 */
export type ReconcileResult = { requeueAfterMs?: number; resourceVersion?: string };

/** The Node's Ready condition as the node watch last saw it; undefined while the Node does not exist. */
export type NodeReadiness = { ready: boolean };

export type ReconcileDeps = {
  client: KubeClient;
  config: ProvisionerConfig;
  now: () => Date;
  log: (msg: string, fields?: Record<string, unknown>) => void;
  nodeReadiness: (name: string) => NodeReadiness | undefined;
};

const claimPath = (name: string) => `/apis/karpenter.sh/v1/nodeclaims/${name}`;
const nodePath = (name: string) => `/api/v1/nodes/${name}`;
const MERGE_PATCH = "application/merge-patch+json";

/**
 * One step of a NodeClaim's life per call, in karpenter's order: finalizer → Launched and
 * Registered (the Node exists) → Initialized and Ready (KWOK reports the Node Ready). Each status
 * write triggers a watch event that brings the claim back for the next step; the Node's readiness
 * comes from the node watch, which brings the claim back when KWOK reports it.
 */
export async function reconcileNodeClaim(claim: NodeClaim, deps: ReconcileDeps): Promise<ReconcileResult> {
  if (claim.metadata.deletionTimestamp) return terminate(claim, deps);

  if (!claim.metadata.finalizers?.includes(TERMINATION_FINALIZER)) {
    // karpenter labels a claim with its instance type (kubectl's TYPE column reads it); the
    // requirements name it from the start, so the label rides along with the finalizer.
    const instanceType = claimedInstanceType(claim);
    const resourceVersion = await patchClaim(deps, claim, {
      metadata: {
        resourceVersion: claim.metadata.resourceVersion,
        finalizers: [...(claim.metadata.finalizers ?? []), TERMINATION_FINALIZER],
        ...(instanceType && findSku(instanceType) ? { labels: { [LABEL_INSTANCE_TYPE]: instanceType } } : {}),
      },
    });
    return { resourceVersion };
  }

  if (!hasCondition(claim, Type.Launched)) return launch(claim, deps);
  if (!isTrue(claim, Type.Launched)) return {};
  // Launched by an earlier version of the double that registered in a step of its own.
  if (!isTrue(claim, Type.Registered)) return launch(claim, deps);
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
    const resourceVersion = await patchStatus(deps, claim, { conditions });
    deps.log("launch failed", { nodeClaim: claim.metadata.name, instanceType, reason: fault!.reason });
    return { resourceVersion };
  }
  // The double's instance boots at once: the Node registers in the same step, so Launched and
  // Registered share one status write (each write of a CRD's status costs the apiserver a full
  // JSON decode, merge and encode; a rollout of 1,000 Workspaces made 3,000 of them).
  try {
    await deps.client.request({ method: "POST", path: "/api/v1/nodes", body: renderNode(claim, sku) });
  } catch (error) {
    if (!isAlreadyExists(error)) throw error;
  }
  const resources = nodeResources(claim, sku);
  let conditions = withCondition(
    claim.status?.conditions,
    { type: Type.Launched, status: "True", reason: "Launched" },
    now,
  );
  conditions = withCondition(conditions, { type: Type.Registered, status: "True", reason: "Registered" }, now);
  conditions = withCondition(
    conditions,
    { type: Type.Ready, status: "Unknown", reason: "NotInitialized", message: "Node not initialized" },
    now,
  );
  const resourceVersion = await patchStatus(deps, claim, {
    providerID: `kwok://${claim.metadata.name}`,
    nodeName: claim.metadata.name,
    capacity: resources,
    allocatable: resources,
    conditions,
  });
  deps.log("launched and registered", { nodeClaim: claim.metadata.name, instanceType });
  return { resourceVersion };
}

// Only a fallback: the node watch brings the claim back as soon as KWOK reports the Node Ready.
const NODE_READY_RECHECK_MS = 10_000;
// The double watches no pods: a draining claim looks again this soon (KWOK finishes an evicted pod
// within a few hundred milliseconds).
const DRAIN_RECHECK_MS = 250;

async function initialize(claim: NodeClaim, deps: ReconcileDeps): Promise<ReconcileResult> {
  const nodeName = claim.status?.nodeName ?? claim.metadata.name;
  if (!deps.nodeReadiness(nodeName)?.ready) return { requeueAfterMs: NODE_READY_RECHECK_MS };
  const now = deps.now();
  let conditions = withCondition(
    claim.status?.conditions,
    { type: Type.Initialized, status: "True", reason: "Initialized" },
    now,
  );
  conditions = withCondition(conditions, { type: Type.Ready, status: "True", reason: "Ready" }, now);
  const resourceVersion = await patchStatus(deps, claim, { conditions });
  deps.log("ready", { nodeClaim: claim.metadata.name, node: nodeName });
  return { resourceVersion };
}

/**
 * karpenter's termination: drain the Node (taint, evict its pods, wait for them), delete it, and
 * release the claim once it is gone. Deleting the Node first would strand its pods: nothing would
 * finish them until the pod garbage collector's quarantine ends, 40 s later.
 */
async function terminate(claim: NodeClaim, deps: ReconcileDeps): Promise<ReconcileResult> {
  if (!claim.metadata.finalizers?.includes(TERMINATION_FINALIZER)) return {};
  const nodeName = claim.status?.nodeName ?? claim.metadata.name;
  const drain = await drainNode(deps.client, nodeName, deps.now());
  if (drain === "draining") return { requeueAfterMs: DRAIN_RECHECK_MS };
  if (drain === "drained") {
    try {
      await deps.client.request({ method: "DELETE", path: nodePath(nodeName) });
      deps.log("drained and deleted node", { nodeClaim: claim.metadata.name, node: nodeName });
      return { requeueAfterMs: 200 };
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
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
// They return the claim's new resourceVersion, undefined after a conflict.
async function patchClaim(deps: ReconcileDeps, claim: NodeClaim, body: unknown): Promise<string | undefined> {
  return ignoreConflict(() =>
    deps.client.request<NodeClaim>({
      method: "PATCH",
      path: claimPath(claim.metadata.name),
      body,
      contentType: MERGE_PATCH,
    }),
  );
}

async function patchStatus(
  deps: ReconcileDeps,
  claim: NodeClaim,
  status: NonNullable<NodeClaim["status"]> & Record<string, unknown>,
): Promise<string | undefined> {
  return ignoreConflict(() =>
    deps.client.request<NodeClaim>({
      method: "PATCH",
      path: `${claimPath(claim.metadata.name)}/status`,
      body: { metadata: { resourceVersion: claim.metadata.resourceVersion }, status },
      contentType: MERGE_PATCH,
    }),
  );
}

async function ignoreConflict(call: () => Promise<NodeClaim>): Promise<string | undefined> {
  try {
    return (await call()).metadata.resourceVersion;
  } catch (error) {
    if (!isConflict(error) && !isNotFound(error)) throw error;
    return undefined;
  }
}
