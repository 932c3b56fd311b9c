import { describe, expect, it } from "vitest";

import type { Workspace } from "@/server/kube/types/workspace";

import { evaluateNodes } from "./evaluate-nodes";
import { renderInferenceStatefulSet } from "./render-inference-statefulset";
import { DEFAULT_RENDER_OPTIONS } from "./render-options";
import { gpuNode, seedWorkspace } from "./testing/fixtures";
import { validateWorkspace } from "./validate-workspace";

function partitioned(partition: NonNullable<Workspace["resource"]>["partition"], preset = "phi-3-mini-4k-instruct") {
  const ws = seedWorkspace("kaito_workspace_phi_3.yaml");
  ws.resource = { labelSelector: { matchLabels: { apps: "phi-3" } }, partition };
  ws.inference!.preset!.name = preset;
  return ws;
}

const errors = (ws: Workspace, mode?: "byo" | "nodeclaim") =>
  validateWorkspace(ws, mode).errors.map(({ path, message }) => ({ path, message }));

function migNode(name: string, profile: string, devices: string) {
  const node = gpuNode(name, { apps: "phi-3" }, "0");
  node.status!.capacity![`nvidia.com/mig-${profile}`] = devices;
  return node;
}

describe("resource.partition, validated as upstream v0.12", () => {
  it("accepts a MIG profile large enough for the model, and an accelerator count, without an instance type", () => {
    expect(errors(partitioned({ mode: "mig", profile: "1g.10gb" }), "byo")).toEqual([]);
    expect(errors(partitioned({ mode: "accelerator", count: 2 }), "byo")).toEqual([]);
  });

  it.each([
    [
      { mode: "mps" },
      "resource.partition.mode",
      'unsupported partition mode "mps", supported modes are "mig" and "accelerator"',
    ],
    [
      { mode: "mig", profile: "1g.10gb", count: 1 },
      "resource.partition.count",
      "count is only valid for accelerator mode",
    ],
    [
      { mode: "mig", profile: "10gb" },
      "resource.partition.profile",
      "invalid MIG profile format \"10gb\": expected format like '1g.10gb'",
    ],
    [
      { mode: "accelerator", profile: "1g.10gb", count: 1 },
      "resource.partition.profile",
      "profile is not valid for accelerator mode",
    ],
    [{ mode: "accelerator" }, "resource.partition.count", "missing field(s): partition.count"],
  ])("refuses %j at %s", (partition, path, message) => {
    expect(errors(partitioned(partition), "byo")).toContainEqual({ path, message });
  });

  it("refuses an unknown MIG profile naming the known ones, and a slice smaller than the weights", () => {
    expect(errors(partitioned({ mode: "mig", profile: "1g.11gb" }))[0].message).toMatch(
      /^unknown MIG profile "1g.11gb": must be one of \[1g.10gb 1g.12gb /,
    );
    expect(errors(partitioned({ mode: "mig", profile: "1g.5gb" }))).toEqual([
      {
        path: "resource.partition",
        message:
          "Model phi-3-mini-4k-instruct requires at least 7.12Gi for weights, which exceeds the 1g.5gb MIG slice capacity of 5Gi",
      },
    ]);
  });

  it("refuses partitioning for tuning and, in a worker that provisions nodes, for any Workspace", () => {
    const tuning = seedWorkspace("kaito_workspace_tuning_phi_3.yaml");
    tuning.resource!.partition = { mode: "mig", profile: "1g.10gb" };
    expect(errors(tuning)).toContainEqual({
      path: "resource.partition",
      message: "GPU partitioning is not supported for tuning workloads",
    });
    expect(errors(partitioned({ mode: "mig", profile: "1g.10gb" }), "nodeclaim")).toEqual([
      {
        path: "resource.partition",
        message: "GPU partitioning is only supported with BYO nodes (disableNodeAutoProvisioning=true)",
      },
    ]);
  });
});

describe("resource.partition on bring-your-own nodes", () => {
  it("runs only on a matching node that offers the MIG device, and asks the pod for one", () => {
    const ws = partitioned({ mode: "mig", profile: "1g.10gb" });
    const nodes = [
      gpuNode("whole-gpus", { apps: "phi-3" }, "1"),
      migNode("other-profile", "3g.40gb", "2"),
      migNode("mig", "1g.10gb", "7"),
    ];
    expect(evaluateNodes({ ws, nodes, nodeClaims: [], mode: "byo" }).workerNodes).toEqual(["mig"]);
    const container = renderInferenceStatefulSet(ws, DEFAULT_RENDER_OPTIONS).spec!.template.spec!.containers[0];
    expect(container.resources).toEqual({
      requests: { "nvidia.com/mig-1g.10gb": "1" },
      limits: { "nvidia.com/mig-1g.10gb": "1" },
    });
  });

  it("in accelerator mode needs that many whole GPUs on the node", () => {
    const ws = partitioned({ mode: "accelerator", count: 2 });
    const nodes = [gpuNode("one-gpu", { apps: "phi-3" }, "1"), gpuNode("four-gpus", { apps: "phi-3" }, "4")];
    const evaluation = evaluateNodes({ ws, nodes, nodeClaims: [], mode: "byo" });
    expect(evaluation.workerNodes).toEqual(["four-gpus"]);
    const container = renderInferenceStatefulSet(ws, DEFAULT_RENDER_OPTIONS).spec!.template.spec!.containers[0];
    expect(container.resources?.limits).toEqual({ "nvidia.com/gpu": "2" });
  });
});
