import type { V1Node, V1Pod, V1Service, V1StatefulSet } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";

import { FIELD_MANAGER } from "@/lib/kaito/api";
import { needsApply } from "@/server/kube/needs-apply";

import { trimNode, trimPod, trimService, trimStatefulSet } from "./trim-cached-objects";

const managedFields = [
  {
    manager: FIELD_MANAGER,
    operation: "Apply",
    fieldsV1: { "f:metadata": { "f:labels": {} }, "f:spec": { "f:replicas": {} } },
  },
  { manager: "kubectl", operation: "Update", fieldsV1: { "f:spec": { "f:replicas": {} } } },
];

describe("trimmed cache objects", () => {
  it("drop node images and heartbeat times but keep what node evaluation reads", () => {
    const node = {
      metadata: { name: "n1", labels: { a: "b" }, managedFields, resourceVersion: "7" },
      spec: { unschedulable: true, providerID: "kwok://n1" },
      status: {
        capacity: { "nvidia.com/gpu": "1" },
        conditions: [{ type: "Ready", status: "True", lastHeartbeatTime: new Date(), lastTransitionTime: new Date(0) }],
        images: [{ names: ["big"], sizeBytes: 1 }],
      },
    } as V1Node;
    const trimmed = trimNode(node);
    expect(trimmed.metadata).toMatchObject({ name: "n1", labels: { a: "b" }, resourceVersion: "7" });
    expect(trimmed.metadata?.managedFields).toBeUndefined();
    expect(trimmed.spec?.unschedulable).toBe(true);
    expect(trimmed.status?.images).toBeUndefined();
    expect(trimmed.status?.capacity).toEqual({ "nvidia.com/gpu": "1" });
    expect(trimmed.status?.conditions?.[0]).toEqual({ type: "Ready", status: "True", lastTransitionTime: new Date(0) });
  });

  it("keep pod status for failure classification and drop the pod spec", () => {
    const pod = {
      metadata: { name: "p-0", namespace: "ns", labels: { "kaito.sh/workspace": "w" }, managedFields },
      spec: { nodeName: "n1", containers: [{ name: "c", image: "x", env: [{ name: "A", value: "1" }] }] },
      status: {
        phase: "Running",
        containerStatuses: [{ name: "c", ready: false, restartCount: 3, image: "x", imageID: "" }],
        conditions: [{ type: "Ready", status: "False" }],
      },
    } as V1Pod;
    const trimmed = trimPod(pod);
    expect(trimmed.spec).toEqual({ nodeName: "n1", containers: [] });
    expect(trimmed.status).toMatchObject({ phase: "Running", containerStatuses: pod.status!.containerStatuses });
    expect(trimmed.metadata?.labels).toEqual({ "kaito.sh/workspace": "w" });
  });

  it("keep enough of a StatefulSet for the drift check: someone else's spec field is still drift", () => {
    const sts = {
      metadata: { name: "w", namespace: "ns", annotations: { h: "1" }, managedFields, generation: 2 },
      spec: { replicas: 3, selector: {}, serviceName: "w-headless", template: { spec: { containers: [] } } },
      status: { replicas: 3, readyReplicas: 1, observedGeneration: 2 },
    } as unknown as V1StatefulSet;
    const trimmed = trimStatefulSet(sts);
    expect(trimmed.spec?.template).toEqual({ metadata: {} });
    expect(trimmed.status).toEqual(sts.status);
    expect(trimmed.metadata?.generation).toBe(2);
    const desired = { metadata: { annotations: { h: "1" } } };
    expect(needsApply(desired, trimmed as never)).toBe(true);
    const ours = { ...sts, metadata: { ...sts.metadata, managedFields: [managedFields[0]] } };
    expect(needsApply(desired, trimStatefulSet(ours) as never)).toBe(false);
  });

  it("keep who controls a Service, so the controller can tell its own objects from someone else's", () => {
    const ref = { apiVersion: "kaito.sh/v1beta1", kind: "Workspace", name: "w", uid: "u1", controller: true };
    const svc = {
      metadata: {
        name: "w",
        namespace: "ns",
        ownerReferences: [
          { ...ref, blockOwnerDeletion: true },
          { ...ref, kind: "Other", uid: "u2", controller: false },
        ],
      },
      spec: { selector: { a: "b" } },
    } as unknown as V1Service;
    expect(trimService(svc).metadata?.ownerReferences).toEqual([ref]);
  });
});
