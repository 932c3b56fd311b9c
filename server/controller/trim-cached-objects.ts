import "server-only";

import type { V1Job, V1ObjectMeta, V1Node, V1Pod, V1Service, V1StatefulSet } from "@kubernetes/client-node";

import type { NodeClaim } from "@/server/kube/types/nodeclaim";
import type { Workspace } from "@/server/kube/types/workspace";

/*
 * What the informer caches keep of each object: only the fields the controller reads
 * (reconcile, status, timeline, drift check). At 1,000 Workspaces the caches hold ~1,000 each of
 * Nodes, NodeClaims, Pods, StatefulSets and ~2,000 Services; untrimmed, managedFields, pod
 * templates and node images made up most of the worker's memory. Whoever reads a new field
 * from a cached object adds it here (the unit test pins what survives).
 */

type ManagedField = NonNullable<V1ObjectMeta["managedFields"]>[number];

/**
 * managedFields reduced to who manages which top-level field: needsApply only asks whether
 * someone other than us owns part of spec or metadata (drift), never which leaf.
 */
function compactManagedFields(entries: ManagedField[] | undefined): ManagedField[] | undefined {
  return entries?.map((e) => ({
    manager: e.manager,
    operation: e.operation,
    subresource: e.subresource,
    fieldsV1: Object.fromEntries(Object.keys((e.fieldsV1 as object | undefined) ?? {}).map((k) => [k, {}])),
  }));
}

function meta(
  m: V1ObjectMeta | undefined,
  keep: { annotations?: boolean; managedFields?: boolean; controller?: boolean } = {},
): V1ObjectMeta {
  return {
    name: m?.name,
    namespace: m?.namespace,
    uid: m?.uid,
    resourceVersion: m?.resourceVersion,
    generation: m?.generation,
    creationTimestamp: m?.creationTimestamp,
    deletionTimestamp: m?.deletionTimestamp,
    labels: m?.labels,
    finalizers: m?.finalizers,
    ...(keep.annotations ? { annotations: m?.annotations } : {}),
    ...(keep.managedFields ? { managedFields: compactManagedFields(m?.managedFields) } : {}),
    // Whose the object is: the controller writes only objects whose controller is the Workspace.
    ...(keep.controller
      ? {
          ownerReferences: m?.ownerReferences
            ?.filter((r) => r.controller)
            .map(({ apiVersion, kind, name, uid, controller }) => ({ apiVersion, kind, name, uid, controller })),
        }
      : {}),
  };
}

/** Of managedFields, who writes the status: a Workspace another controller writes is left alone (upstream-signs.ts). */
export function trimWorkspace(ws: Workspace): Workspace {
  const { managedFields, ...metadata } = ws.metadata as Workspace["metadata"] & { managedFields?: ManagedField[] };
  const status = compactManagedFields(managedFields?.filter((e) => e.subresource === "status"));
  return { ...ws, metadata: status?.length ? { ...metadata, managedFields: status } : metadata };
}

export function trimNodeClaim(claim: NodeClaim): NodeClaim {
  return {
    apiVersion: claim.apiVersion,
    kind: claim.kind,
    metadata: { ...meta(claim.metadata as V1ObjectMeta, { annotations: true }) } as NodeClaim["metadata"],
    spec: claim.spec,
    status: claim.status && { nodeName: claim.status.nodeName, conditions: claim.status.conditions },
  };
}

export function trimNode(node: V1Node): V1Node {
  const status = node.status;
  return {
    metadata: meta(node.metadata),
    spec: { unschedulable: node.spec?.unschedulable },
    status: status && {
      capacity: status.capacity,
      allocatable: status.allocatable,
      // Heartbeat times change every few seconds and are never read.
      conditions: status.conditions?.map(({ lastHeartbeatTime: _h, ...c }) => c),
    },
  };
}

export function trimPod(pod: V1Pod): V1Pod {
  const status = pod.status;
  return {
    metadata: meta(pod.metadata),
    spec: { nodeName: pod.spec?.nodeName, containers: [] },
    status: status && {
      phase: status.phase,
      reason: status.reason,
      message: status.message,
      conditions: status.conditions,
      containerStatuses: status.containerStatuses,
      initContainerStatuses: status.initContainerStatuses,
    },
  };
}

export function trimStatefulSet(sts: V1StatefulSet): V1StatefulSet {
  return {
    metadata: meta(sts.metadata, { annotations: true, managedFields: true, controller: true }),
    spec: sts.spec && {
      replicas: sts.spec.replicas,
      serviceName: sts.spec.serviceName,
      selector: sts.spec.selector,
      template: { metadata: {} },
    },
    status: sts.status,
  };
}

export function trimService(svc: V1Service): V1Service {
  return { metadata: meta(svc.metadata, { annotations: true, managedFields: true, controller: true }), spec: svc.spec };
}

export function trimJob(job: V1Job): V1Job {
  return { metadata: meta(job.metadata, { annotations: true, controller: true }), status: job.status };
}
