import { describe, expect, it } from "vitest";

import type { Workspace } from "@/server/kube/types/workspace";

import { deriveTimeline } from "./derive-timeline";
import { collapseEvents, diagnoseWorkspace, stopTimelineAtFailure } from "./diagnose-workspace";
import type { EventView, NodeClaimView, PodView } from "./workspace-detail-types";

const ws = (status: Workspace["status"] = {}, extra: Partial<Workspace["metadata"]> = {}): Workspace => ({
  apiVersion: "kaito.sh/v1beta1",
  kind: "Workspace",
  metadata: {
    name: "phi",
    namespace: "default",
    creationTimestamp: "2026-01-01T00:00:00Z" as unknown as Date,
    ...extra,
  },
  resource: { instanceType: "Standard_NC6s_v3", labelSelector: { matchLabels: { apps: "phi" } } },
  inference: { preset: { name: "phi-3-mini-4k-instruct" } },
  status,
});

const cond = (type: string, status: "True" | "False", at: string, reason = "", message = "") => ({
  type,
  status,
  reason,
  message,
  lastTransitionTime: at,
});

const claim = (conditions: NodeClaimView["conditions"]): NodeClaimView => ({
  name: "wsabc123456",
  instanceType: "Standard_NC6s_v3",
  nodeName: null,
  createdAt: "2026-01-01T00:00:02Z",
  conditions,
});

const pod = (container: Partial<PodView["containers"][number]>, conditions: PodView["conditions"] = []): PodView => ({
  name: "phi-0",
  phase: "Running",
  nodeName: "node-1",
  createdAt: "2026-01-01T00:01:00Z",
  conditions,
  containers: [
    {
      name: "phi",
      ready: false,
      restarts: 0,
      state: "running",
      stateReason: null,
      stateMessage: null,
      startedAt: null,
      lastTerminationReason: null,
      lastTerminationExitCode: null,
      ...container,
    },
  ],
});

describe("diagnoseWorkspace", () => {
  it("says nothing for a ready workspace", () => {
    expect(
      diagnoseWorkspace(ws({ conditions: [cond("WorkspaceSucceeded", "True", "2026-01-01T00:05:00Z")] }), [], [], []),
    ).toBeNull();
  });

  it("names a cloud quota failure hidden in a NodeClaim condition", () => {
    const nc = claim([
      cond(
        "Launched",
        "False",
        "2026-01-01T00:00:10Z",
        "LaunchFailed",
        "all requested instance types were unavailable during launch: QuotaExceeded",
      ),
    ]);
    expect(diagnoseWorkspace(ws(), [nc], [], [])).toMatchObject({ step: "VM launch", cause: "quota" });
  });

  it("names missing capacity", () => {
    const nc = claim([
      cond(
        "Launched",
        "False",
        "2026-01-01T00:00:10Z",
        "InsufficientCapacity",
        "all requested instance types were unavailable during launch",
      ),
    ]);
    expect(diagnoseWorkspace(ws(), [nc], [], [])).toMatchObject({
      cause: "no-capacity",
      title: "No GPU capacity for this instance type",
    });
  });

  it("blames the OOM kill even while the pod is back to running", () => {
    const diagnosis = diagnoseWorkspace(
      ws(),
      [],
      [pod({ restarts: 3, lastTerminationReason: "OOMKilled", lastTerminationExitCode: 137 })],
      [],
    );
    expect(diagnosis).toMatchObject({ step: "Model load", cause: "oom" });
    expect(diagnosis?.detail).toContain("3 restarts");
  });

  it("reports a crash loop with the last exit", () => {
    const diagnosis = diagnoseWorkspace(
      ws(),
      [],
      [
        pod({
          state: "waiting",
          stateReason: "CrashLoopBackOff",
          restarts: 5,
          lastTerminationReason: "Error",
          lastTerminationExitCode: 1,
        }),
      ],
      [],
    );
    expect(diagnosis).toMatchObject({ cause: "crash-loop" });
    expect(diagnosis?.detail).toContain("last exit Error (code 1)");
  });

  it("reports an image that cannot be pulled", () => {
    expect(
      diagnoseWorkspace(
        ws(),
        [],
        [pod({ state: "waiting", stateReason: "ImagePullBackOff", stateMessage: "not found" })],
        [],
      ),
    ).toMatchObject({
      step: "Image pull",
      cause: "image-pull",
    });
  });

  it("reports an unschedulable pod with the scheduler's message", () => {
    const p = pod({}, [
      cond(
        "PodScheduled",
        "False",
        "2026-01-01T00:01:00Z",
        "Unschedulable",
        "0/3 nodes are available: 3 Insufficient nvidia.com/gpu.",
      ),
    ]);
    expect(diagnoseWorkspace(ws(), [], [p], [])?.detail).toContain("Insufficient nvidia.com/gpu");
  });

  it("reports too little GPU memory from the controller's condition", () => {
    const status = {
      conditions: [
        cond(
          "WorkspaceValid",
          "False",
          "2026-01-01T00:00:01Z",
          "ValidationFailed",
          "Insufficient total GPU memory: Instance type Standard_NC6s_v3 has a total of 16Gi, but preset phi-4 requires at least 27.31Gi",
        ),
      ],
    };
    expect(diagnoseWorkspace(ws(status), [], [], [])).toMatchObject({ cause: "gpu-memory", step: "Validation" });
  });

  it("without a failure names the phase in progress", () => {
    const nc = claim([cond("Launched", "True", "2026-01-01T00:00:40Z")]);
    const timeline = deriveTimeline(ws(), [nc], []);
    expect(diagnoseWorkspace(ws(), [nc], [], timeline)).toMatchObject({ cause: "waiting", step: "Node registration" });
  });
});

describe("deriveTimeline", () => {
  it("lays out every phase from the objects' timestamps until ready", () => {
    const nc = claim([
      cond("Launched", "True", "2026-01-01T00:00:30Z"),
      cond("Registered", "True", "2026-01-01T00:00:50Z"),
      cond("Ready", "True", "2026-01-01T00:01:00Z"),
    ]);
    const p = pod({ startedAt: "2026-01-01T00:01:20Z", ready: true }, [
      cond("PodScheduled", "True", "2026-01-01T00:01:05Z"),
      cond("Ready", "True", "2026-01-01T00:02:00Z"),
    ]);
    const phases = deriveTimeline(ws(), [nc], [p]);
    expect(phases.map((x) => [x.id, x.start.slice(14, 19), x.end?.slice(14, 19), x.status])).toEqual([
      ["nodeclaim", "00:00", "00:02", "done"],
      ["launch", "00:02", "00:30", "done"],
      ["register", "00:30", "00:50", "done"],
      ["gpu", "00:50", "01:00", "done"],
      ["schedule", "01:00", "01:05", "done"],
      ["image", "01:05", "01:20", "done"],
      ["model", "01:20", "02:00", "done"],
    ]);
  });

  it("leaves the current phase open", () => {
    const phases = deriveTimeline(ws(), [claim([])], []);
    expect(phases.at(-1)).toMatchObject({ id: "launch", end: null, status: "running" });
  });
});

describe("diagnoseWorkspace on storage, quota and admission", () => {
  const unschedulable = (message: string) =>
    pod({}, [cond("PodScheduled", "False", "2026-01-01T00:01:00Z", "Unschedulable", message)]);

  it("blames an unbound PersistentVolumeClaim, not GPUs, taints or affinity", () => {
    const diagnosis = diagnoseWorkspace(
      ws(),
      [],
      [
        unschedulable(
          "0/3 nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.",
        ),
      ],
      [],
    );
    expect(diagnosis).toMatchObject({
      cause: "storage",
      title: "A PersistentVolumeClaim of the pod is not bound to a volume",
      detail: "Pod phi-0: 0/3 nodes are available: pod has unbound immediate PersistentVolumeClaims.",
    });
    expect(diagnosis?.title).not.toMatch(/GPU|taint|affinity/);
  });

  it("drops the bare 'not found' the scheduler appends after a volume refusal", () => {
    const diagnosis = diagnoseWorkspace(
      ws(),
      [],
      [unschedulable("0/1 nodes are available: pod has unbound immediate PersistentVolumeClaims. not found")],
      [],
    );
    expect(diagnosis).toMatchObject({
      cause: "storage",
      detail: "Pod phi-0: 0/1 nodes are available: pod has unbound immediate PersistentVolumeClaims.",
    });
  });

  it("names a PersistentVolumeClaim that does not exist, without a trailing 'not found' fragment", () => {
    const diagnosis = diagnoseWorkspace(
      ws(),
      [],
      [
        unschedulable(
          '0/1 nodes are available: persistentvolumeclaim "model-cache" not found. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.',
        ),
      ],
      [],
    );
    expect(diagnosis).toMatchObject({
      cause: "storage",
      title: 'The PersistentVolumeClaim "model-cache" does not exist',
    });
    expect(diagnosis?.detail).not.toMatch(/preemption/);
  });

  it("names a StorageClass that does not exist instead of ending on a bare 'not found'", () => {
    const diagnosis = diagnoseWorkspace(
      ws(),
      [],
      [
        unschedulable(
          '0/1 nodes are available: storageclass.storage.k8s.io "fast-ssd" not found. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.',
        ),
      ],
      [],
    );
    expect(diagnosis).toMatchObject({
      cause: "storage",
      title: 'The StorageClass "fast-ssd" of the pod\'s PersistentVolumeClaim does not exist',
    });
  });

  const failedCreate = (message: string): EventView => ({
    type: "Warning",
    reason: "FailedCreate",
    message,
    object: "StatefulSet/phi",
    count: 4,
    lastSeen: "2026-01-01T00:01:00Z",
  });

  it("blames the namespace's ResourceQuota when the pod was never created", () => {
    const event = failedCreate(
      'create Pod phi-0 in StatefulSet phi failed error: pods "phi-0" is forbidden: exceeded quota: gpu-quota, requested: nvidia.com/gpu=1, used: nvidia.com/gpu=1, limited: nvidia.com/gpu=1',
    );
    expect(diagnoseWorkspace(ws(), [], [], [], [event])).toMatchObject({
      cause: "quota",
      title: "The namespace's ResourceQuota does not allow the pod",
    });
  });

  it("reads the controller's FailedCreate condition once the event has expired", () => {
    const status = {
      conditions: [
        cond(
          "InferenceReady",
          "False",
          "2026-01-01T00:01:00Z",
          "FailedCreate",
          'create Pod phi-0 in StatefulSet phi failed error: pods "phi-0" is forbidden: violates PodSecurity "restricted:latest": privileged',
        ),
      ],
    };
    expect(diagnoseWorkspace(ws(status), [], [], [])).toMatchObject({
      cause: "admission",
      title: "An admission check refused the pod",
    });
  });

  it("blames an admission check that refused the pod", () => {
    const event = failedCreate(
      'create Pod phi-0 in StatefulSet phi failed error: admission webhook "policy.example.com" denied the request: GPUs need team approval',
    );
    expect(diagnoseWorkspace(ws(), [], [], [], [event])).toMatchObject({ cause: "admission" });
  });
});

describe("a terminal failure", () => {
  const invalid = ws({
    state: "NotReady",
    conditions: [
      cond("ResourceReady", "False", "2026-01-01T00:00:01Z", "ValidationFailed", "Unknown preset phi-9"),
      cond("WorkspaceSucceeded", "False", "2026-01-01T00:00:01Z", "ValidationFailed", "Unknown preset phi-9"),
    ],
  });

  it("is reported as terminal", () => {
    expect(diagnoseWorkspace(invalid, [], [], [])).toMatchObject({
      cause: "validation",
      terminal: true,
      since: "2026-01-01T00:00:01Z",
    });
  });

  it("stops the timeline's open bar at the failure instead of letting it grow", () => {
    const timeline = deriveTimeline(invalid, [], []);
    expect(timeline).toMatchObject([{ id: "nodeclaim", end: null, status: "running" }]);
    const stopped = stopTimelineAtFailure(timeline, diagnoseWorkspace(invalid, [], [], timeline));
    expect(stopped).toMatchObject([
      { id: "nodeclaim", status: "failed", end: "2026-01-01T00:00:01Z", detail: expect.stringContaining("validation") },
    ]);
  });

  it("a failure that may recover marks its bar failed but leaves it open", () => {
    const nc = claim([
      cond("Launched", "True", "2026-01-01T00:00:30Z"),
      cond("Registered", "True", "2026-01-01T00:00:50Z"),
      cond("Ready", "True", "2026-01-01T00:01:00Z"),
    ]);
    const p = pod({}, [
      cond(
        "PodScheduled",
        "False",
        "2026-01-01T00:01:00Z",
        "Unschedulable",
        "0/1 nodes are available: 1 node(s) had untolerated taint {sku: gpu}.",
      ),
    ]);
    const timeline = deriveTimeline(ws(), [nc], [p]);
    const diagnosis = diagnoseWorkspace(ws(), [nc], [p], timeline);
    expect(diagnosis).toMatchObject({ cause: "unschedulable", terminal: false });
    expect(stopTimelineAtFailure(timeline, diagnosis).at(-1)).toMatchObject({
      id: "schedule",
      status: "failed",
      end: null,
    });
  });
});

describe("collapseEvents", () => {
  const event = (lastSeen: string, patch: Partial<EventView> = {}): EventView => ({
    type: "Warning",
    reason: "FailedScheduling",
    message: "0/3 nodes are available: 3 Insufficient nvidia.com/gpu.",
    object: "Pod/phi-0",
    count: 1,
    lastSeen,
    ...patch,
  });

  it("shows 17 identical events once with their count and the latest time", () => {
    const events = Array.from({ length: 17 }, (_, i) => event(`2026-01-01T00:${String(10 + i).padStart(2, "0")}:00Z`));
    expect(collapseEvents(events)).toEqual([event("2026-01-01T00:26:00Z", { count: 17 })]);
  });

  it("keeps events that differ apart, newest first", () => {
    const other = event("2026-01-01T00:30:00Z", { type: "Normal", reason: "Scheduled", message: "assigned" });
    expect(
      collapseEvents([event("2026-01-01T00:10:00Z", { count: 3 }), other]).map((e) => [e.reason, e.count]),
    ).toEqual([
      ["Scheduled", 1],
      ["FailedScheduling", 3],
    ]);
  });
});
