// The Workspace controller on the real local cluster (etcd, kube-apiserver, controller-manager,
// scheduler, KWOK nodes and pods, the GPU provisioner double), running as the worker process with
// the chart's RBAC. Prerequisite: `npm run cluster:up`.
import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { kubeconfigPath } from "@/dev/cluster/paths";
import { closeDb } from "@/server/db/client";
import type { KubeClient } from "@/server/kube/kube-client";
import { getWorkspaceTimeline } from "@/server/timeline/get-workspace-timeline";

import {
  applyExample,
  conditionOf,
  getWorkspace,
  listNodeClaims,
  startWorkerRig,
  waitForCondition,
  type WorkerProcess,
  type WorkerRig,
} from "./controller-harness";
import { waitFor } from "../support/wait-for";

const PHI3 = "kaito_workspace_phi_3.yaml";
const TUNING = "kaito_workspace_tuning_phi_3.yaml";
// A SKU no other suite uses, made unavailable through the provisioner double's fault ConfigMap.
const UNAVAILABLE_SKU = "Standard_NC24rs_v3";
const FAULTS = "/api/v1/namespaces/kube-system/configmaps/gpu-provisioner-faults";

let client: KubeClient;
let ns: string;
let worker: WorkerProcess;
let rig: WorkerRig;
const pgliteDir = path.join(mkdtempSync(path.join(os.tmpdir(), "kd-timeline-")), "db");

function kubectl(...args: string[]): string {
  return execFileSync("kubectl", args, {
    encoding: "utf8",
    // The cluster the tests run against (KUBECONFIG, else the local one, CLUSTER_DATA_DIR included).
    env: { ...process.env, KUBECONFIG: process.env.KUBECONFIG ?? kubeconfigPath },
  });
}

const HOLD_FINALIZER = "kaito-dashboard.dev/test-hold";

/** Read-modify-write of a NodeClaim's finalizers; a Conflict with the provisioner is retried. */
async function editNodeClaimFinalizers(name: string, edit: (finalizers: string[]) => string[]): Promise<void> {
  const claimPath = `/apis/karpenter.sh/v1/nodeclaims/${name}`;
  await waitFor(`the finalizers of NodeClaim ${name} to be updated`, async () => {
    const claim = await client.request<{ metadata: { resourceVersion: string; finalizers?: string[] } }>({
      method: "GET",
      path: claimPath,
    });
    await client.request({
      method: "PATCH",
      path: claimPath,
      contentType: "application/merge-patch+json",
      body: {
        metadata: {
          resourceVersion: claim.metadata.resourceVersion,
          finalizers: edit(claim.metadata.finalizers ?? []),
        },
      },
    });
    return true;
  });
}

async function nodeExists(name: string): Promise<boolean> {
  const nodes = await client.request<{ items: { metadata: { name: string } }[] }>({
    method: "GET",
    path: "/api/v1/nodes",
  });
  return nodes.items.some((n) => n.metadata.name === name);
}

/** `kubectl get wk` as a user reads it: header → value per column. */
function kubectlGetWorkspace(name: string): Record<string, string> {
  const [header, row] = kubectl("get", "wk", "-n", ns, name).trimEnd().split("\n");
  const starts = [...header.matchAll(/\S+/g)].map((m) => m.index!);
  const cell = (i: number) => row.slice(starts[i], starts[i + 1] ?? row.length).trim();
  return Object.fromEntries([...header.matchAll(/\S+/g)].map((m, i) => [m[0], cell(i)]));
}

beforeAll(async () => {
  rig = await startWorkerRig("ctl", {
    LEADER_ELECTION_LEASE_DURATION_SECONDS: "4",
    LEADER_ELECTION_RENEW_DEADLINE_SECONDS: "3",
    LEADER_ELECTION_RETRY_PERIOD_SECONDS: "0.5",
    CONTROLLER_TIMELINE: "database",
    DATABASE_URL: "",
    PGLITE_DIR: pgliteDir,
    CONTROLLER_TEST_POD_ANNOTATION_PREFIX: "kaito-dashboard.dev/simulate",
    CONTROLLER_NODECLAIM_DELETE_TIMEOUT_SECONDS: "120",
  });
  ({ client, ns, worker } = rig);
});

afterAll(() => rig?.stop());

describe("controller: inference", () => {
  it("brings the seed's phi-3 example to Ready with every condition True, as `kubectl get wk` shows", async () => {
    await applyExample(client, ns, PHI3);
    const ws = await waitForCondition(client, ns, "workspace-phi-3-mini", "WorkspaceSucceeded", "True");
    for (const type of [
      "NodeClaimReady",
      "NodesReady",
      "ResourceReady",
      "InferenceReady",
      "WorkspaceSucceeded",
      "WorkspaceReady",
    ])
      expect(conditionOf(ws, type)?.status, type).toBe("True");
    expect(ws.status?.state).toBe("Ready");
    expect(ws.status?.workerNodes).toHaveLength(1);
    expect(ws.metadata.finalizers).toContain("workspace.finalizer.kaito.sh");

    const columns = kubectlGetWorkspace("workspace-phi-3-mini");
    expect(columns).toMatchObject({
      RESOURCEREADY: "True",
      INFERENCEREADY: "True",
      WORKSPACESUCCEEDED: "True",
      STATE: "Ready",
    });

    const claims = await listNodeClaims(client, ns, "workspace-phi-3-mini");
    expect(claims).toHaveLength(1);
    expect(claims[0].metadata.name).toMatch(/^ws[0-9a-f]{9}$/);
    const svc = await client.request<{
      spec: { ports: { port: number; targetPort: number }[] };
      metadata: { ownerReferences: { kind: string }[] };
    }>({
      method: "GET",
      path: `/api/v1/namespaces/${ns}/services/workspace-phi-3-mini`,
    });
    expect(svc.spec.ports[0]).toMatchObject({ port: 80, targetPort: 5000 });
    expect(svc.metadata.ownerReferences[0].kind).toBe("Workspace");
    const events = kubectl(
      "get",
      "events",
      "-n",
      ns,
      "--field-selector",
      "involvedObject.name=workspace-phi-3-mini",
      "-o",
      "jsonpath={.items[*].reason}",
    );
    expect(events.split(" ")).toEqual(expect.arrayContaining(["NodeClaimCreated", "ResourceReady", "InferenceReady"]));
    // Milestone Events name the finer phases they cover, so `kubectl describe` still tells the story.
    const messages = kubectl(
      "get",
      "events",
      "-n",
      ns,
      "--field-selector",
      "involvedObject.name=workspace-phi-3-mini",
      "-o",
      "jsonpath={.items[*].message}",
    );
    expect(messages).toMatch(/NodeReady/);
    expect(messages).toMatch(/PodReady/);
  });

  it("repairs drift: a deleted Service and a scaled StatefulSet come back", async () => {
    await client.request({ method: "DELETE", path: `/api/v1/namespaces/${ns}/services/workspace-phi-3-mini` });
    await client.request({
      method: "PATCH",
      path: `/apis/apps/v1/namespaces/${ns}/statefulsets/workspace-phi-3-mini`,
      body: { spec: { replicas: 3 } },
      contentType: "application/merge-patch+json",
    });
    await waitFor("the Service to be recreated", () =>
      client.request({ method: "GET", path: `/api/v1/namespaces/${ns}/services/workspace-phi-3-mini` }).then(Boolean),
    );
    await waitFor("replicas back to 1", async () => {
      const sts = await client.request<{ spec: { replicas: number } }>({
        method: "GET",
        path: `/apis/apps/v1/namespaces/${ns}/statefulsets/workspace-phi-3-mini`,
      });
      return sts.spec.replicas === 1;
    });
  });

  it("runs count: 2 as a 2-replica StatefulSet with a headless Service on two NodeClaims", async () => {
    await applyExample(client, ns, PHI3, (ws) => {
      ws.metadata.name = "multi";
      ws.resource!.count = 2;
      ws.resource!.labelSelector = { matchLabels: { apps: "multi" } };
    });
    const ws = await waitForCondition(client, ns, "multi", "WorkspaceSucceeded", "True");
    expect(ws.status?.targetNodeCount).toBe(2);
    expect(ws.status?.workerNodes).toHaveLength(2);
    const sts = await client.request<{ spec: { replicas: number; serviceName: string } }>({
      method: "GET",
      path: `/apis/apps/v1/namespaces/${ns}/statefulsets/multi`,
    });
    expect(sts.spec).toMatchObject({ replicas: 2, serviceName: "multi-headless" });
    const headless = await client.request<{ spec: { clusterIP: string } }>({
      method: "GET",
      path: `/api/v1/namespaces/${ns}/services/multi-headless`,
    });
    expect(headless.spec.clusterIP).toBe("None");
    expect(new Set((await listNodeClaims(client, ns, "multi")).map((c) => c.metadata.name)).size).toBe(2);
  });

  it("reports an OOM-killed model as InferenceReady=False ContainerOOMKilled, never Ready", async () => {
    await applyExample(client, ns, PHI3, (ws) => {
      ws.metadata.name = "oom";
      ws.metadata.annotations = { "kaito-dashboard.dev/simulate": "oom" };
      ws.resource!.labelSelector = { matchLabels: { apps: "oom" } };
    });
    const ws = await waitForCondition(client, ns, "oom", "InferenceReady", "False", "ContainerOOMKilled");
    expect(conditionOf(ws, "InferenceReady")?.message).toMatch(/OOM-killed/);
    expect(conditionOf(ws, "WorkspaceSucceeded")?.status).toBe("False");
    expect(ws.status?.state).toBe("Pending");
  });
});

describe("controller: rejections", () => {
  it("rejects an unknown preset with a reason and creates nothing", async () => {
    await applyExample(client, ns, PHI3, (ws) => {
      ws.metadata.name = "unknown-preset";
      ws.inference!.preset!.name = "not-a-model";
    });
    const ws = await waitForCondition(client, ns, "unknown-preset", "ResourceReady", "False", "ValidationFailed");
    expect(conditionOf(ws, "ResourceReady")?.message).toContain("Unsupported preset name not-a-model");
    expect(kubectlGetWorkspace("unknown-preset").RESOURCEREADY).toBe("False");
    expect(await listNodeClaims(client, ns, "unknown-preset")).toEqual([]);
  });

  it("rejects a SKU too small for the model with upstream's message", async () => {
    await applyExample(client, ns, PHI3, (ws) => {
      ws.metadata.name = "too-small";
      ws.inference!.preset!.name = "phi-4";
    });
    const ws = await waitForCondition(client, ns, "too-small", "ResourceReady", "False", "ValidationFailed");
    expect(conditionOf(ws, "ResourceReady")?.message).toBe(
      "Insufficient total GPU memory: Instance type Standard_NC6s_v3 has a total of 16Gi, but preset phi-4 requires at least 27.31Gi",
    );
    expect(await listNodeClaims(client, ns, "too-small")).toEqual([]);
  });

  it("carries the provisioner's 'unavailable' failure into NodeClaimReady and ResourceReady", async () => {
    const before = await client
      .request<{ data?: Record<string, string> }>({ method: "GET", path: FAULTS })
      .catch(() => undefined);
    const unavailable = [...(before?.data?.unavailableSkus ?? "").split(",").filter(Boolean), UNAVAILABLE_SKU].join(
      ",",
    );
    if (before)
      await client.request({
        method: "PATCH",
        path: FAULTS,
        body: { data: { unavailableSkus: unavailable } },
        contentType: "application/merge-patch+json",
      });
    else
      await client.request({
        method: "POST",
        path: FAULTS.replace(/\/gpu-provisioner-faults$/, ""),
        body: { metadata: { name: "gpu-provisioner-faults" }, data: { unavailableSkus: unavailable } },
      });
    try {
      await applyExample(client, ns, PHI3, (ws) => {
        ws.metadata.name = "no-capacity";
        ws.resource!.instanceType = UNAVAILABLE_SKU;
        ws.resource!.labelSelector = { matchLabels: { apps: "no-capacity" } };
      });
      const ws = await waitFor("NodeClaimReady to carry karpenter's failure", async () => {
        const w = await getWorkspace(client, ns, "no-capacity");
        return conditionOf(w, "NodeClaimReady")?.message?.includes(
          "all requested instance types were unavailable during launch",
        )
          ? w
          : undefined;
      });
      expect(conditionOf(ws, "NodeClaimReady")?.reason).toBe("InsufficientCapacity");
      expect(conditionOf(ws, "ResourceReady")).toMatchObject({ status: "False", reason: "InsufficientCapacity" });
      expect(conditionOf(ws, "ResourceReady")!.message.length).toBeLessThanOrEqual(256);
      expect(ws.status?.state).toBe("Pending");
    } finally {
      const restore = (before?.data?.unavailableSkus ?? "")
        .split(",")
        .filter((s) => s && s !== UNAVAILABLE_SKU)
        .join(",");
      await client.request({
        method: "PATCH",
        path: FAULTS,
        body: { data: { unavailableSkus: restore } },
        contentType: "application/merge-patch+json",
      });
    }
  });
});

describe("controller: objects it does not own", () => {
  it("leaves an unowned Service of the Workspace's name byte for byte, reports ResourceConflict, and keeps it on delete", async () => {
    const servicePath = `/api/v1/namespaces/${ns}/services/taken`;
    await client.request({
      method: "POST",
      path: `/api/v1/namespaces/${ns}/services`,
      body: {
        apiVersion: "v1",
        kind: "Service",
        metadata: { name: "taken", labels: { app: "someone-else" } },
        spec: { selector: { app: "someone-else" }, ports: [{ port: 53, protocol: "UDP" }] },
      },
    });
    const before = await client.request<Record<string, unknown>>({ method: "GET", path: servicePath });
    await applyExample(client, ns, PHI3, (ws) => {
      ws.metadata.name = "taken";
    });
    const ws = await waitForCondition(client, ns, "taken", "ResourceReady", "False", "ResourceConflict");
    expect(conditionOf(ws, "ResourceReady")?.message).toContain(`Service ${ns}/taken already exists`);
    expect(kubectlGetWorkspace("taken").RESOURCEREADY).toBe("False");
    expect(await client.request({ method: "GET", path: servicePath })).toEqual(before);

    await client.request({ method: "DELETE", path: `/apis/kaito.sh/v1beta1/namespaces/${ns}/workspaces/taken` });
    await waitFor("the Workspace to be gone", async () => !(await getWorkspace(client, ns, "taken")));
    // Garbage collection would act within seconds of the owner going; give it that long.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect(await client.request({ method: "GET", path: servicePath })).toEqual(before);
    await client.request({ method: "DELETE", path: servicePath });
  });

  it("never adopts (nor deletes) a NodeClaim left by an earlier Workspace of the same name", async () => {
    const oldClaim = "wsfeedc0de1";
    await client.request({
      method: "POST",
      path: "/apis/karpenter.sh/v1/nodeclaims",
      body: {
        apiVersion: "karpenter.sh/v1",
        kind: "NodeClaim",
        metadata: {
          name: oldClaim,
          labels: {
            "karpenter.sh/nodepool": "kaito",
            "kaito.sh/workspace": "reborn",
            "kaito.sh/workspacenamespace": ns,
            "kaito-dashboard.dev/workspace-uid": "00000000-0000-4000-8000-00000000dead",
          },
        },
        spec: {
          nodeClassRef: { group: "kaito.sh", kind: "KaitoNodeClass", name: "default" },
          requirements: [{ key: "node.kubernetes.io/instance-type", operator: "In", values: ["Standard_NC6s_v3"] }],
        },
      },
    });
    await applyExample(client, ns, PHI3, (ws) => {
      ws.metadata.name = "reborn";
    });
    const ready = await waitForCondition(client, ns, "reborn", "ResourceReady", "True");
    const claims = await listNodeClaims(client, ns, "reborn");
    const own = claims.filter((c) => c.metadata.labels["kaito-dashboard.dev/workspace-uid"] === ready.metadata.uid);
    expect(own).toHaveLength(1);
    expect(claims.map((c) => c.metadata.name)).toContain(oldClaim);
    expect(ready.status?.workerNodes).toEqual([own[0].status?.nodeName]);

    await client.request({ method: "DELETE", path: `/apis/kaito.sh/v1beta1/namespaces/${ns}/workspaces/reborn` });
    await waitFor("the Workspace to be gone", async () => !(await getWorkspace(client, ns, "reborn")));
    const left = await listNodeClaims(client, ns, "reborn");
    expect(left.map((c) => c.metadata.name)).toEqual([oldClaim]);
    expect(left[0].metadata.deletionTimestamp).toBeUndefined();
    await client.request({ method: "DELETE", path: `/apis/karpenter.sh/v1/nodeclaims/${oldClaim}` });
    await waitFor(
      "the old NodeClaim to be gone",
      async () => (await listNodeClaims(client, ns, "reborn")).length === 0,
    );
  });
});

describe("controller: tuning", () => {
  it("starts the seed's tuning Job (JobStarted) and reports WorkspaceSucceeded when it completes", async () => {
    await applyExample(client, ns, TUNING, (ws) => {
      ws.metadata.name = "tuning";
    });
    const started = await waitForCondition(
      client,
      ns,
      "tuning",
      "JobStarted",
      "True",
      "WorkspaceTuningJobStatusStarted",
    );
    expect(conditionOf(started, "WorkspaceSucceeded")?.status).not.toBe("True");
    const done = await waitForCondition(client, ns, "tuning", "WorkspaceSucceeded", "True");
    expect(done.status?.state).toBe("Succeeded");
    expect(kubectlGetWorkspace("tuning")).toMatchObject({ JOBSTARTED: "True", WORKSPACESUCCEEDED: "True" });
  });
});

describe("controller: restarts and deletion", () => {
  it("converges after kill -9 mid-rollout without duplicate NodeClaims", async () => {
    const names = Array.from({ length: 8 }, (_, i) => `rollout-${i}`);
    await Promise.all(
      names.map((name) =>
        applyExample(client, ns, PHI3, (ws) => {
          ws.metadata.name = name;
          ws.resource!.labelSelector = { matchLabels: { apps: name } };
        }),
      ),
    );
    await waitFor("the first NodeClaims", async () =>
      (await listNodeClaims(client, ns)).some(
        (c) => c.metadata.name && names.includes(c.metadata.labels["kaito.sh/workspace"]),
      ),
    );
    await worker.kill("SIGKILL");
    worker = await rig.startWorker();
    for (const name of names) await waitForCondition(client, ns, name, "WorkspaceSucceeded", "True");
    for (const name of names) expect(await listNodeClaims(client, ns, name), name).toHaveLength(1);
  });

  it("records the phase timeline once per transition in the database", async () => {
    // The worker owns its embedded database; stop it to read the same directory here.
    await worker.kill();
    process.env.PGLITE_DIR = pgliteDir;
    delete process.env.DATABASE_URL;
    await closeDb();
    try {
      const timeline = await getWorkspaceTimeline(ns, "workspace-phi-3-mini");
      const phases = timeline.events.map((e) => e.phase);
      expect(phases).toEqual(
        expect.arrayContaining([
          "Accepted",
          "NodeClaimCreated",
          "NodeClaimReady",
          "NodeReady",
          "WorkloadCreated",
          "PodScheduled",
          "PodReady",
          "InferenceReady",
        ]),
      );
      const keys = timeline.events.map((e) => `${e.phase}|${e.subject}|${e.occurredAt}`);
      expect(new Set(keys).size).toBe(keys.length);
      const rollout = await getWorkspaceTimeline(ns, "rollout-0");
      expect(rollout.events.filter((e) => e.phase === "Accepted")).toHaveLength(1);
    } finally {
      await closeDb();
    }
    worker = await rig.startWorker();
  });

  it("deletes NodeClaims and their Nodes before letting the Workspace go", async () => {
    const [claim] = await listNodeClaims(client, ns, "workspace-phi-3-mini");
    const nodeName = claim.status?.nodeName;
    expect(nodeName).toBeTruthy();
    // The test's own finalizer holds the NodeClaim, as a karpenter still draining its VM would:
    // the order is then observable instead of a race the test may or may not see.
    await editNodeClaimFinalizers(claim.metadata.name, (finalizers) => [...finalizers, HOLD_FINALIZER]);
    await client.request({
      method: "DELETE",
      path: `/apis/kaito.sh/v1beta1/namespaces/${ns}/workspaces/workspace-phi-3-mini`,
    });

    const waiting = await waitFor("the Workspace to say it waits for its NodeClaim", async () => {
      const ws = await getWorkspace(client, ns, "workspace-phi-3-mini");
      const deleting = conditionOf(ws, "WorkspaceDeleting");
      return deleting?.status === "True" && deleting.message.includes(claim.metadata.name) ? ws : undefined;
    });
    expect(waiting.metadata.deletionTimestamp).toBeTruthy();
    await waitFor("the NodeClaim to be deleting", async () => {
      const [held] = await listNodeClaims(client, ns, "workspace-phi-3-mini");
      return !!held?.metadata.deletionTimestamp;
    });
    await waitFor("its Node to be gone", async () => !(await nodeExists(nodeName!)));
    // NodeClaim and Node are on their way out, and the Workspace is still there: it goes last.
    expect(await getWorkspace(client, ns, "workspace-phi-3-mini")).toBeDefined();

    await editNodeClaimFinalizers(claim.metadata.name, (finalizers) => finalizers.filter((f) => f !== HOLD_FINALIZER));
    await waitFor("the Workspace to be gone", async () => !(await getWorkspace(client, ns, "workspace-phi-3-mini")));
    expect(await listNodeClaims(client, ns, "workspace-phi-3-mini")).toEqual([]);
  });

  it("leaves no NodeClaim behind after deleting every Workspace", async () => {
    await client.request({ method: "DELETE", path: `/apis/kaito.sh/v1beta1/namespaces/${ns}/workspaces` });
    await waitFor(
      "every Workspace to be gone",
      async () => {
        const list = await client.request<{ items: unknown[] }>({
          method: "GET",
          path: `/apis/kaito.sh/v1beta1/namespaces/${ns}/workspaces`,
        });
        return list.items.length === 0;
      },
      { timeoutMs: 120_000 },
    );
    expect(await listNodeClaims(client, ns)).toEqual([]);
  });
});
