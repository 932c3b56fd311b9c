import { describe, expect, it } from "vitest";

import { computeWorkspaceStatus, sameStatus } from "./compute-workspace-status";
import { evaluateNodes } from "./evaluate-nodes";
import { gpuNode, pod, readyNodeClaim, readyStatefulSet, seedWorkspace } from "./testing/fixtures";
import { validateWorkspace } from "./validate-workspace";

const now = "2026-01-01T00:05:00Z";
const nodeLabels = { apps: "phi-3", "node.kubernetes.io/instance-type": "Standard_NC6s_v3" };

function condition(status: ReturnType<typeof computeWorkspaceStatus>, type: string) {
  return status.conditions?.find((c) => c.type === type);
}

function readyInput() {
  const ws = seedWorkspace("kaito_workspace_phi_3.yaml");
  const nodes = evaluateNodes({
    ws,
    nodes: [gpuNode("n1", nodeLabels)],
    nodeClaims: [readyNodeClaim("wsabc", ws, "n1")],
    mode: "nodeclaim",
  });
  const runningPod = pod(`${ws.metadata.name}-0`, ws, {
    phase: "Running",
    conditions: [{ type: "Ready", status: "True" }],
    containerStatuses: [
      { name: ws.metadata.name, ready: true, restartCount: 0, image: "x", imageID: "x", state: { running: {} } },
    ],
  });
  return { ws, validation: validateWorkspace(ws), nodes, statefulSet: readyStatefulSet(ws), pods: [runningPod], now };
}

describe("computeWorkspaceStatus", () => {
  it("reports every condition True, WorkspaceReady mirroring WorkspaceSucceeded, state Ready", () => {
    const status = computeWorkspaceStatus(readyInput());
    expect(status.conditions?.map((c) => `${c.type}=${c.status}:${c.reason}`)).toEqual([
      "NodeClaimReady=True:NodeClaimsReady",
      "NodesReady=True:NodesReady",
      "ResourceReady=True:workspaceResourceStatusSuccess",
      "InferenceReady=True:WorkspaceInferenceStatusSuccess",
      "WorkspaceSucceeded=True:workspaceSucceeded",
      "WorkspaceReady=True:workspaceSucceeded",
    ]);
    expect(status.state).toBe("Ready");
    expect(status.workerNodes).toEqual(["n1"]);
    expect(status.targetNodeCount).toBe(1);
    expect(status.conditions?.every((c) => c.observedGeneration === 1)).toBe(true);
  });

  it("never says InferenceReady while a pod is OOM-killed, even when the StatefulSet counts it ready", () => {
    const input = readyInput();
    input.pods = [
      pod(`${input.ws.metadata.name}-0`, input.ws, {
        containerStatuses: [
          {
            name: input.ws.metadata.name,
            ready: false,
            restartCount: 3,
            image: "x",
            imageID: "x",
            state: { waiting: { reason: "CrashLoopBackOff" } },
            lastState: { terminated: { reason: "OOMKilled", exitCode: 137 } },
          },
        ],
      }),
    ];
    const status = computeWorkspaceStatus(input);
    expect(condition(status, "InferenceReady")).toMatchObject({ status: "False", reason: "ContainerOOMKilled" });
    expect(condition(status, "WorkspaceSucceeded")?.status).toBe("False");
    // Upstream's state: Pending until the Workspace has once been Ready; the reason is the news.
    expect(status.state).toBe("Pending");
    input.ws.status = { state: "Ready" };
    expect(computeWorkspaceStatus(input).state).toBe("NotReady");
    input.ws.status = { state: "NotReady" };
    expect(computeWorkspaceStatus(input).state).toBe("NotReady");
  });

  it.each([
    [{ waiting: { reason: "ImagePullBackOff", message: "not found" } }, "ImagePullError"],
    [{ waiting: { reason: "CrashLoopBackOff" } }, "ContainerCrashLoopBackOff"],
    [{ waiting: { reason: "CreateContainerConfigError", message: "secret missing" } }, "ContainerStartError"],
  ])("classifies container state %j as %s", (state, reason) => {
    const input = readyInput();
    input.pods = [
      pod("p-0", input.ws, {
        containerStatuses: [{ name: "c", ready: false, restartCount: 1, image: "x", imageID: "", state }],
      }),
    ];
    expect(condition(computeWorkspaceStatus(input), "InferenceReady")?.reason).toBe(reason);
  });

  it("classifies evicted and unschedulable pods", () => {
    const input = readyInput();
    input.pods = [pod("p-0", input.ws, { reason: "Evicted", message: "The node was low on resource: memory." })];
    expect(condition(computeWorkspaceStatus(input), "InferenceReady")?.reason).toBe("PodEvicted");
    input.pods = [
      pod("p-0", input.ws, {
        conditions: [
          { type: "PodScheduled", status: "False", reason: "Unschedulable", message: "0/3 nodes are available" },
        ],
      }),
    ];
    expect(condition(computeWorkspaceStatus(input), "InferenceReady")).toMatchObject({
      reason: "Unschedulable",
      message: "pod p-0 cannot be scheduled: 0/3 nodes are available",
    });
  });

  it("carries karpenter's launch failure into NodeClaimReady and ResourceReady, cut to 256 characters", () => {
    const ws = seedWorkspace("kaito_workspace_phi_3.yaml");
    const claim = readyNodeClaim("wsabc", ws, "");
    const long = `all requested instance types were unavailable during launch: ${"quota exceeded ".repeat(30)}`;
    claim.status = {
      conditions: [{ type: "Launched", status: "False", reason: "InsufficientCapacityError", message: long }],
    };
    const nodes = evaluateNodes({ ws, nodes: [], nodeClaims: [claim], mode: "nodeclaim" });
    const status = computeWorkspaceStatus({ ws, validation: validateWorkspace(ws), nodes, pods: [], now });
    for (const type of ["NodeClaimReady", "ResourceReady"]) {
      const c = condition(status, type)!;
      expect(c.reason).toBe("InsufficientCapacityError");
      expect(c.message.startsWith("all requested instance types were unavailable during launch")).toBe(true);
      expect(c.message.length).toBeLessThanOrEqual(256);
    }
    expect(status.state).toBe("Pending");
    expect(nodes.terminalFailure).toBe(true);
  });

  it("reports a validation failure on ResourceReady and WorkspaceSucceeded with upstream's message", () => {
    const ws = seedWorkspace("kaito_workspace_phi_3.yaml");
    ws.inference!.preset!.name = "phi-3-medium-4k-instruct";
    const status = computeWorkspaceStatus({ ws, validation: validateWorkspace(ws), pods: [], now });
    expect(condition(status, "ResourceReady")).toMatchObject({
      status: "False",
      reason: "ValidationFailed",
      message:
        "Insufficient total GPU memory: Instance type Standard_NC6s_v3 has a total of 16Gi, but preset phi-3-medium-4k-instruct requires at least 26Gi",
    });
    expect(condition(status, "WorkspaceReady")?.status).toBe("False");
    expect(status.state).toBe("Pending");
  });

  it("keeps an invalid or unprovisionable tuning Workspace Pending, as upstream, with the cause on WorkspaceSucceeded", () => {
    const ws = seedWorkspace("kaito_workspace_tuning_phi_3.yaml");
    ws.tuning!.input = {};
    const invalid = computeWorkspaceStatus({ ws, validation: validateWorkspace(ws), pods: [], now });
    expect(condition(invalid, "WorkspaceSucceeded")?.reason).toBe("ValidationFailed");
    expect(invalid.state).toBe("Pending");

    const valid = seedWorkspace("kaito_workspace_tuning_phi_3.yaml");
    const claim = readyNodeClaim("wsabc", valid, "");
    claim.status = {
      conditions: [
        {
          type: "Launched",
          status: "False",
          reason: "InsufficientCapacityError",
          message: "all requested instance types were unavailable during launch",
        },
      ],
    };
    const nodes = evaluateNodes({ ws: valid, nodes: [], nodeClaims: [claim], mode: "nodeclaim" });
    const stuck = computeWorkspaceStatus({ ws: valid, validation: validateWorkspace(valid), nodes, pods: [], now });
    expect(condition(stuck, "WorkspaceSucceeded")).toMatchObject({ status: "False", reason: "workspaceFailed" });
    expect(condition(stuck, "JobStarted")?.status).toBe("False");
    expect(stuck.state).toBe("Pending");
  });

  it("keeps lastTransitionTime while a condition's status does not change, so an unchanged status is not rewritten", () => {
    const first = computeWorkspaceStatus(readyInput());
    const input = readyInput();
    input.ws.status = first;
    const second = computeWorkspaceStatus({ ...input, now: "2026-01-01T01:00:00Z" });
    expect(sameStatus(first, second)).toBe(true);
  });

  it("walks a tuning Workspace through JobStarted to WorkspaceSucceeded", () => {
    const ws = seedWorkspace("kaito_workspace_tuning_phi_3.yaml");
    const nodes = evaluateNodes({
      ws,
      nodes: [gpuNode("n1", { app: "phi-3-adapter", "node.kubernetes.io/instance-type": "Standard_NC6s_v3" })],
      nodeClaims: [readyNodeClaim("wsabc", ws, "n1")],
      mode: "nodeclaim",
    });
    const base = { ws, validation: validateWorkspace(ws), nodes, pods: [], now };
    const created = computeWorkspaceStatus({ ...base, job: { metadata: { name: ws.metadata.name }, status: {} } });
    expect(condition(created, "JobStarted")?.status).toBe("False");
    expect(created.state).toBe("Pending");
    const running = computeWorkspaceStatus({
      ...base,
      job: { metadata: { name: ws.metadata.name }, status: { active: 1 } },
    });
    expect(condition(running, "JobStarted")).toMatchObject({
      status: "True",
      reason: "WorkspaceTuningJobStatusStarted",
    });
    expect(condition(running, "WorkspaceSucceeded")?.status).toBe("False");
    expect(running.state).toBe("Running");
    const done = computeWorkspaceStatus({
      ...base,
      job: {
        metadata: { name: ws.metadata.name },
        status: { succeeded: 1, conditions: [{ type: "Complete", status: "True" }] },
      },
    });
    expect(condition(done, "WorkspaceSucceeded")).toMatchObject({ status: "True", reason: "workspaceSucceeded" });
    expect(done.state).toBe("Succeeded");
    const failed = computeWorkspaceStatus({
      ...base,
      job: {
        metadata: { name: ws.metadata.name },
        status: { failed: 1, conditions: [{ type: "Failed", status: "True" }] },
      },
    });
    expect(condition(failed, "WorkspaceSucceeded")).toMatchObject({ status: "False", reason: "workspaceFailed" });
    expect(failed.state).toBe("Failed");
  });
});

describe("evaluateNodes", () => {
  const ws = seedWorkspace("kaito_workspace_phi_3.yaml");

  it("reuses a ready matching GPU node instead of provisioning", () => {
    const n = evaluateNodes({ ws, nodes: [gpuNode("existing", nodeLabels)], nodeClaims: [], mode: "nodeclaim" });
    expect(n.claimsWanted).toBe(0);
    expect(n.workerNodes).toEqual(["existing"]);
    expect(n.resourceReady.status).toBe("True");
  });

  it("does not reuse nodes that another Workspace's NodeClaim provisioned, nor nodes without GPU capacity", () => {
    const other = seedWorkspace("kaito_workspace_phi_3.yaml", {
      name: "other",
      uid: "3f2c8a1e-0000-4000-8000-000000000002",
    });
    const n = evaluateNodes({
      ws,
      nodes: [gpuNode("theirs", nodeLabels), gpuNode("no-gpu", nodeLabels, "0")],
      nodeClaims: [readyNodeClaim("wsother", other, "theirs")],
      mode: "nodeclaim",
    });
    expect(n.claimsWanted).toBe(1);
    expect(n.reusedNodes).toEqual([]);
  });

  it("waits for the device plugin when the claimed node is Ready without GPUs", () => {
    const n = evaluateNodes({
      ws,
      nodes: [gpuNode("n1", nodeLabels, "0")],
      nodeClaims: [readyNodeClaim("wsabc", ws, "n1")],
      mode: "nodeclaim",
    });
    expect(n.nodesReady).toMatchObject({
      status: "False",
      reason: "NodePluginsNotReady",
      message: "waiting all node plugins to be ready",
    });
  });

  it("in BYO mode matches nodes by selector alone and never wants NodeClaims", () => {
    const n = evaluateNodes({ ws, nodes: [gpuNode("byo", { apps: "phi-3" })], nodeClaims: [], mode: "byo" });
    expect(n.claimsWanted).toBe(0);
    expect(n.workerNodes).toEqual(["byo"]);
  });
});

describe("evaluateNodes and other Workspaces' nodes", () => {
  it("does not reuse a node labelled for another Workspace even when its NodeClaim is not visible", () => {
    const ws = seedWorkspace("kaito_workspace_phi_3.yaml");
    const foreign = gpuNode("foreign", {
      ...nodeLabels,
      "kaito.sh/workspace": "x",
      "kaito.sh/workspacenamespace": "team-b",
    });
    expect(evaluateNodes({ ws, nodes: [foreign], nodeClaims: [], mode: "nodeclaim" }).claimsWanted).toBe(1);
  });
});
