import { describe, expect, it } from "vitest";

import type { Workspace } from "@/server/kube/types/workspace";

import { deriveTimeline } from "./derive-timeline";
import { diagnoseWorkspace } from "./diagnose-workspace";
import type { NodeClaimView, PodView } from "./workspace-detail-types";

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
