import "server-only";

import type { CoreV1Event, V1Job, V1Pod, V1StatefulSet } from "@kubernetes/client-node";

import { Reason } from "@/lib/kaito/conditions";
import type { KubeClient } from "@/server/kube/kube-client";
import { workspaceKey } from "@/server/kube/types/workspace";

import { done, wait, type ReconcileStep } from "./reconcile-step";
import { workspacePods } from "./workspace-pods";

export type PodCreation =
  /** Its controller tried and created nothing, but has not said why yet (its Event may lag). */
  { kind: "unexplained" } | { kind: "failed"; message: string };

/**
 * True when the StatefulSet or Job controller has worked on the current spec and no pod exists:
 * the state a refused pod leaves behind (a StatefulSet counts only the pods it created; a Job
 * has started but holds none). A healthy rollout never looks like this, so no Event is read for it.
 */
export function podsMissing(input: { statefulSet?: V1StatefulSet; job?: V1Job; pods: V1Pod[] }): boolean {
  if (input.pods.length) return false;
  const sts = input.statefulSet;
  if (sts)
    return (
      (sts.spec?.replicas ?? 1) > 0 &&
      (sts.status?.observedGeneration ?? 0) >= (sts.metadata?.generation ?? 1) &&
      (sts.status?.replicas ?? 0) === 0
    );
  const job = input.job?.status;
  return !!job?.startTime && !job.active && !job.succeeded && !job.failed;
}

const when = (e: CoreV1Event) =>
  String(e.series?.lastObservedTime ?? e.lastTimestamp ?? e.eventTime ?? e.metadata?.creationTimestamp ?? "");

/**
 * Why the workload has no pod, in the words of whoever refused it. A pod refused at admission —
 * Pod Security Admission, a validating webhook, a ResourceQuota — never exists, so nothing on a
 * pod can say so: the StatefulSet and Job controllers record it as a `FailedCreate` Event on their
 * object (`create Pod … failed error: pods "…" is forbidden: violates PodSecurity …`), and that
 * message is what the Workspace shows. Only read when podsMissing says the pods are missing.
 */
export async function findFailedPodCreation(
  client: KubeClient,
  owner: { kind: "StatefulSet" | "Job"; namespace: string; name: string; uid?: string },
): Promise<PodCreation> {
  const fieldSelector = [
    `involvedObject.kind=${owner.kind}`,
    `involvedObject.name=${owner.name}`,
    ...(owner.uid ? [`involvedObject.uid=${owner.uid}`] : []),
    "reason=FailedCreate",
  ].join(",");
  const events = await client.request<{ items: CoreV1Event[] }>({
    method: "GET",
    path: `/api/v1/namespaces/${owner.namespace}/events`,
    query: { fieldSelector },
  });
  const latest = [...events.items].sort((a, b) => when(b).localeCompare(when(a)))[0];
  return latest?.message ? { kind: "failed", message: latest.message } : { kind: "unexplained" };
}

/**
 * The step after the workload: its pods can be created. When they cannot, the pass stops with
 * the refusal for the status; the pod's watch event brings the Workspace back once someone fixes
 * the cause and the StatefulSet or Job controller's next attempt succeeds.
 */
export const ensurePodsCreated: ReconcileStep = {
  name: "pods",
  async run(ctx, pass) {
    const ws = pass.ws;
    const key = workspaceKey(ws);
    const statefulSet = ws.inference ? ctx.caches.statefulSets.get(key) : undefined;
    const job = ws.tuning ? ctx.caches.jobs.get(key) : undefined;
    const owner = statefulSet ?? job;
    if (!owner || !podsMissing({ statefulSet, job, pods: workspacePods(ctx, ws) })) return done;
    const creation = await findFailedPodCreation(ctx.client, {
      kind: statefulSet ? "StatefulSet" : "Job",
      namespace: ws.metadata.namespace,
      name: owner.metadata?.name ?? ws.metadata.name,
      uid: owner.metadata?.uid,
    });
    // Its controller records the Event a moment after the status that shows the missing pod.
    if (creation.kind === "unexplained") return wait(5_000, "PodsMissing");
    pass.failedCreate = creation.message;
    return wait(Math.min(ctx.resyncMs, 60_000), Reason.FailedCreate);
  },
};
