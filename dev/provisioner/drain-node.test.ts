import type { V1Pod } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";

import { podsToDrain } from "./drain-node";

const now = new Date("2026-12-06T12:00:00Z");

function pod(name: string, edit: (p: V1Pod) => void = () => {}): V1Pod {
  const p: V1Pod = { metadata: { name, namespace: "team-a" }, spec: { containers: [] }, status: { phase: "Running" } };
  edit(p);
  return p;
}

describe("podsToDrain", () => {
  it("waits for running and pending pods, including one already terminating", () => {
    const pods = [
      pod("model-0"),
      pod("pending", (p) => (p.status!.phase = "Pending")),
      pod("leaving", (p) => (p.metadata!.deletionTimestamp = new Date("2026-12-06T11:59:50Z"))),
    ];
    expect(podsToDrain(pods, now).map((p) => p.metadata?.name)).toEqual(["model-0", "pending", "leaving"]);
  });

  it("skips what karpenter skips: finished pods, mirror pods, pods tolerating the disrupted taint, pods stuck terminating", () => {
    const pods = [
      pod("done", (p) => (p.status!.phase = "Succeeded")),
      pod("failed", (p) => (p.status!.phase = "Failed")),
      pod("static", (p) => (p.metadata!.annotations = { "kubernetes.io/config.mirror": "abc" })),
      pod("tolerates-all", (p) => (p.spec!.tolerations = [{ operator: "Exists" }])),
      pod(
        "tolerates-disrupted",
        (p) => (p.spec!.tolerations = [{ key: "karpenter.sh/disrupted", operator: "Exists" }]),
      ),
      pod("stuck", (p) => (p.metadata!.deletionTimestamp = new Date("2026-12-06T11:58:00Z"))),
      // The GPU tolerations of a model pod do not exempt it.
      pod(
        "model-1",
        (p) => (p.spec!.tolerations = [{ key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" }]),
      ),
    ];
    expect(podsToDrain(pods, now).map((p) => p.metadata?.name)).toEqual(["model-1"]);
  });
});
