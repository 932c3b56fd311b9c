import "server-only";

import type { V1Node, V1Pod, V1Taint } from "@kubernetes/client-node";

import { isConflict, isNotFound, KubeApiError, type KubeClient } from "@/server/kube/kube-client";

/** karpenter v1's taint on a node it is terminating: nothing new is scheduled there. */
export const DISRUPTED_TAINT: V1Taint = { key: "karpenter.sh/disrupted", effect: "NoSchedule" };

/** karpenter gives up waiting on a pod this long after its deletion was due. */
const STUCK_TERMINATING_MS = 60_000;

const MERGE_PATCH = "application/merge-patch+json";

function toleratesDisrupted(pod: V1Pod): boolean {
  return (pod.spec?.tolerations ?? []).some(
    (t) =>
      (t.key === DISRUPTED_TAINT.key || (!t.key && t.operator === "Exists")) &&
      (!t.effect || t.effect === DISRUPTED_TAINT.effect),
  );
}

/**
 * The pods a drain waits for, by karpenter's rule (IsWaitingEviction): not finished, not a
 * kubelet's mirror pod, not tolerating the disrupted taint (those go with the node), and not
 * stuck terminating for more than a minute past their deletion.
 */
export function podsToDrain(pods: V1Pod[], now: Date): V1Pod[] {
  return pods.filter((pod) => {
    if (pod.status?.phase === "Succeeded" || pod.status?.phase === "Failed") return false;
    if (pod.metadata?.annotations?.["kubernetes.io/config.mirror"] !== undefined) return false;
    if (toleratesDisrupted(pod)) return false;
    const deletion = pod.metadata?.deletionTimestamp;
    return !deletion || now.getTime() - new Date(deletion as unknown as string).getTime() <= STUCK_TERMINATING_MS;
  });
}

export function hasDisruptedTaint(node: V1Node): boolean {
  return (node.spec?.taints ?? []).some((t) => t.key === DISRUPTED_TAINT.key && t.effect === DISRUPTED_TAINT.effect);
}

export type DrainResult = "gone" | "drained" | "draining";

/**
 * One step of karpenter's termination of a node: taint it, then evict every pod bound to it,
 * and report "drained" once none is left to wait for (the caller then deletes the Node). Pods
 * evicted while their node still exists are finished by KWOK at once; after the Node is gone
 * nothing finishes them, and they stay Terminating until the pod garbage collector's 40 s
 * quarantine for pods on missing nodes ends.
 */
export async function drainNode(client: KubeClient, nodeName: string, now: Date): Promise<DrainResult> {
  let node: V1Node;
  try {
    node = await client.request<V1Node>({ method: "GET", path: `/api/v1/nodes/${nodeName}` });
  } catch (error) {
    if (isNotFound(error)) return "gone";
    throw error;
  }
  if (!hasDisruptedTaint(node)) {
    // The resourceVersion makes this a compare-and-swap: a taint someone else added meanwhile is
    // not lost; on a conflict the next pass reads the node again. Nothing is evicted untainted.
    try {
      await client.request({
        method: "PATCH",
        path: `/api/v1/nodes/${nodeName}`,
        contentType: MERGE_PATCH,
        body: {
          metadata: { resourceVersion: node.metadata?.resourceVersion },
          spec: { taints: [...(node.spec?.taints ?? []), DISRUPTED_TAINT] },
        },
      });
    } catch (error) {
      if (isConflict(error)) return "draining";
      throw error;
    }
  }
  const bound = await client.request<{ items: V1Pod[] }>({
    method: "GET",
    path: "/api/v1/pods",
    query: { fieldSelector: `spec.nodeName=${nodeName}` },
  });
  const waiting = podsToDrain(bound.items, now);
  if (!waiting.length) return "drained";
  for (const pod of waiting.filter((p) => !p.metadata?.deletionTimestamp)) {
    const { name, namespace } = pod.metadata!;
    try {
      // The Eviction API, as karpenter uses it: a PodDisruptionBudget can refuse (429), and the
      // next pass asks again. A namespace being deleted refuses every create, evictions too (403);
      // the namespace controller deletes its pods, and the drain waits for that.
      await client.request({
        method: "POST",
        path: `/api/v1/namespaces/${namespace}/pods/${name}/eviction`,
        body: { apiVersion: "policy/v1", kind: "Eviction", metadata: { name, namespace } },
      });
    } catch (error) {
      const refused = error instanceof KubeApiError && (error.statusCode === 429 || error.statusCode === 403);
      if (!isNotFound(error) && !refused) throw error;
    }
  }
  return "draining";
}
