// A Workspace whose pods admission refuses, on the real local cluster: the namespace enforces
// the `restricted` Pod Security level, the template asks for a privileged container. The
// StatefulSet exists, no pod ever does, and the Workspace says why instead of sitting at 0/1.
// Prerequisite: `npm run cluster:up`.
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { KubeClient } from "@/server/kube/kube-client";

import { applyExample, conditionOf, startWorkerRig, waitForCondition, type WorkerRig } from "./controller-harness";

let client: KubeClient;
let ns: string;
let rig: WorkerRig;

beforeAll(async () => {
  rig = await startWorkerRig(
    "psa",
    { CONTROLLER_TIMELINE: "off" },
    {
      async beforeStart({ client, ns }) {
        await client.request({
          method: "PATCH",
          path: `/api/v1/namespaces/${ns}`,
          body: { metadata: { labels: { "pod-security.kubernetes.io/enforce": "restricted" } } },
          contentType: "application/merge-patch+json",
        });
      },
    },
  );
  ({ client, ns } = rig);
});

afterAll(() => rig?.stop());

describe("controller: pods refused at admission", () => {
  it("shows Pod Security Admission's refusal of a privileged template on InferenceReady, and no pod runs", async () => {
    await applyExample(client, ns, "kaito_workspace_phi_3.yaml", (ws) => {
      ws.metadata.name = "privileged";
      delete ws.inference!.preset;
      ws.inference!.template = {
        spec: {
          containers: [{ name: "model", image: "registry.k8s.io/pause:3.10", securityContext: { privileged: true } }],
        },
      };
    });
    const ws = await waitForCondition(client, ns, "privileged", "InferenceReady", "False", "FailedCreate", 120_000);
    const message = conditionOf(ws, "InferenceReady")?.message ?? "";
    expect(message).toMatch(/forbidden: violates PodSecurity "restricted:/);
    expect(message).toMatch(/privileged/);
    expect(conditionOf(ws, "WorkspaceSucceeded")?.status).toBe("False");
    expect(ws.status?.state).toBe("Pending");
    const pods = await client.request<{ items: unknown[] }>({
      method: "GET",
      path: `/api/v1/namespaces/${ns}/pods`,
      query: { labelSelector: "kaito.sh/workspace=privileged" },
    });
    expect(pods.items).toEqual([]);
  });
});
