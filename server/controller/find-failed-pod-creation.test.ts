import type { V1StatefulSet } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";

import type { KubeClient } from "@/server/kube/kube-client";

import { computeWorkspaceStatus } from "./compute-workspace-status";
import { evaluateNodes } from "./evaluate-nodes";
import { findFailedPodCreation, podsMissing } from "./find-failed-pod-creation";
import { gpuNode, pod, readyNodeClaim, seedWorkspace } from "./testing/fixtures";
import { validateWorkspace } from "./validate-workspace";

const ws = seedWorkspace("kaito_workspace_phi_3.yaml");
const sts = (status: V1StatefulSet["status"], generation = 1): V1StatefulSet => ({
  metadata: { name: ws.metadata.name, namespace: "default", generation, uid: "sts-uid" },
  spec: { replicas: 1, selector: {}, serviceName: "", template: {} },
  status,
});
const refusal =
  'create Pod workspace-phi-3-mini-0 in StatefulSet workspace-phi-3-mini failed error: pods "workspace-phi-3-mini-0" is forbidden: violates PodSecurity "restricted:latest": privileged (container "model" must not set securityContext.privileged=true)';

describe("podsMissing", () => {
  it("is true only once the StatefulSet controller has seen the spec and holds no pod", () => {
    expect(podsMissing({ statefulSet: sts({ replicas: 0, observedGeneration: 1 }), pods: [] })).toBe(true);
    // Not looked at by its controller yet: the normal first moments of a rollout.
    expect(podsMissing({ statefulSet: sts({ replicas: 0 }), pods: [] })).toBe(false);
    expect(podsMissing({ statefulSet: sts({ replicas: 1, observedGeneration: 1 }), pods: [] })).toBe(false);
    const running = pod(`${ws.metadata.name}-0`, ws, { phase: "Running" });
    expect(podsMissing({ statefulSet: sts({ replicas: 0, observedGeneration: 1 }), pods: [running] })).toBe(false);
  });

  it("is true for a started Job with no pod and no outcome", () => {
    expect(podsMissing({ job: { status: { startTime: new Date(0) } }, pods: [] })).toBe(true);
    expect(podsMissing({ job: { status: { startTime: new Date(0), active: 1 } }, pods: [] })).toBe(false);
    expect(podsMissing({ job: { status: {} }, pods: [] })).toBe(false);
  });
});

describe("findFailedPodCreation", () => {
  it("asks for the FailedCreate Events of this very object and takes the latest message", async () => {
    const requests: unknown[] = [];
    const client = {
      request: async (req: unknown) => {
        requests.push(req);
        return {
          items: [
            { message: "older", lastTimestamp: "2026-01-01T00:00:01Z" },
            { message: refusal, lastTimestamp: "2026-01-01T00:00:09Z" },
          ],
        };
      },
    } as unknown as KubeClient;
    const found = await findFailedPodCreation(client, {
      kind: "StatefulSet",
      namespace: "default",
      name: ws.metadata.name,
      uid: "sts-uid",
    });
    expect(found).toEqual({ kind: "failed", message: refusal });
    expect(requests).toEqual([
      {
        method: "GET",
        path: "/api/v1/namespaces/default/events",
        query: {
          fieldSelector: `involvedObject.kind=StatefulSet,involvedObject.name=${ws.metadata.name},involvedObject.uid=sts-uid,reason=FailedCreate`,
        },
      },
    ]);
  });
});

describe("a refused pod on the status", () => {
  it("sets InferenceReady False with reason FailedCreate and admission's message; a Workspace never Ready stays Pending", () => {
    const nodes = evaluateNodes({
      ws,
      nodes: [gpuNode("n1", { apps: "phi-3", "node.kubernetes.io/instance-type": "Standard_NC6s_v3" })],
      nodeClaims: [readyNodeClaim("wsabc", ws, "n1")],
      mode: "nodeclaim",
    });
    const status = computeWorkspaceStatus({
      ws,
      validation: validateWorkspace(ws),
      nodes,
      statefulSet: sts({ replicas: 0, observedGeneration: 1 }),
      failedCreate: refusal,
      pods: [],
      now: "2026-01-01T00:05:00Z",
    });
    expect(status.conditions?.find((c) => c.type === "InferenceReady")).toMatchObject({
      status: "False",
      reason: "FailedCreate",
      message: refusal,
    });
    expect(status.state).toBe("Pending");
  });
});
