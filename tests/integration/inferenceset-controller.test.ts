// The InferenceSet controller on the real local cluster (KWOK nodes and pods, the GPU provisioner
// double), inside the worker process running as the chart's worker ServiceAccount: upstream's
// document reaches readyReplicas == replicas, each child's pod stays on its own nodes beside a free
// GPU elsewhere, `kubectl scale` adds and removes children (newest
// first, NodeClaims freed), nodeCountLimit stops the set, a kill -9 leaves no duplicates, an HPA
// resolves the scale subresource, and deleting the set deletes everything it made.
import { execFileSync } from "node:child_process";
import path from "node:path";

import type { V1Pod, V1StatefulSet } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { kubeconfigPath } from "@/dev/cluster/paths";
import type { KubeClient } from "@/server/kube/kube-client";
import type { InferenceSet } from "@/server/kube/types/inferenceset";
import type { Workspace } from "@/server/kube/types/workspace";

import { listNodeClaims, startWorkerRig, uniqueName, type WorkerProcess, type WorkerRig } from "./controller-harness";
import { createKwokNode } from "../support/gpu-node";
import { waitFor } from "../support/wait-for";

const fixtures = path.resolve(import.meta.dirname, "../fixtures/inferenceset");
const SET_LABEL = "inferenceset.kaito.sh/created-by";

let client: KubeClient;
let ns: string;
let worker: WorkerProcess;
let rig: WorkerRig;
const spareNode = uniqueName("kd-spare");

function kubectl(args: string[], input?: string): string {
  return execFileSync("kubectl", args, {
    encoding: "utf8",
    input,
    env: { ...process.env, KUBECONFIG: process.env.KUBECONFIG ?? kubeconfigPath },
  });
}

/** `kubectl apply` of an upstream-shaped InferenceSet (v1alpha1, as upstream's examples are written). */
function applySet(name: string, spec: Partial<InferenceSet["spec"]>, annotations: Record<string, string> = {}) {
  const doc = {
    apiVersion: "kaito.sh/v1alpha1",
    kind: "InferenceSet",
    metadata: { name, annotations: { "kaito.sh/disable-benchmark": "true", ...annotations } },
    spec: {
      labelSelector: { matchLabels: { apps: name } },
      template: {
        resource: { instanceType: "Standard_NC24ads_A100_v4" },
        inference: { preset: { name: "phi-4-mini-instruct" } },
      },
      ...spec,
    },
  };
  kubectl(["apply", "-n", ns, "-f", "-"], JSON.stringify(doc));
}

async function getSet(name: string): Promise<InferenceSet | undefined> {
  return client
    .request<InferenceSet>({ method: "GET", path: `/apis/kaito.sh/v1beta1/namespaces/${ns}/inferencesets/${name}` })
    .catch(() => undefined);
}

async function children(name: string): Promise<Workspace[]> {
  const list = await client.request<{ items: Workspace[] }>({
    method: "GET",
    path: `/apis/kaito.sh/v1beta1/namespaces/${ns}/workspaces`,
    query: { labelSelector: `${SET_LABEL}=${name}` },
  });
  return list.items;
}

const succeeded = (ws: Workspace) =>
  ws.status?.conditions?.some((c) => c.type === "WorkspaceSucceeded" && c.status === "True") ?? false;

/** Waits until the set has exactly `replicas` children, all ready, and its status and Ready condition say so. */
async function waitForReady(name: string, replicas: number, timeoutMs = 120_000): Promise<InferenceSet> {
  return waitFor(
    `${ns}/${name}: ${replicas} ready children`,
    async () => {
      const set = await getSet(name);
      const ready = set?.status?.conditions?.find((c) => c.type === "InferenceSetReady");
      const kids = await children(name);
      return (
        (set?.status?.readyReplicas ?? 0) === replicas &&
        (set?.status?.replicas ?? 0) === replicas &&
        ready?.status === "True" &&
        kids.length === replicas &&
        kids.every(succeeded) &&
        set
      );
    },
    { timeoutMs },
  );
}

/** The NodeClaims of the set's children (labelled with each child's name). */
async function setNodeClaims(name: string) {
  return (await listNodeClaims(client, ns)).filter((c) =>
    c.metadata.labels["kaito.sh/workspace"]?.startsWith(`${name}-`),
  );
}

beforeAll(async () => {
  rig = await startWorkerRig(
    "iset",
    {
      LEADER_ELECTION_LEASE_DURATION_SECONDS: "4",
      LEADER_ELECTION_RENEW_DEADLINE_SECONDS: "3",
      LEADER_ELECTION_RETRY_PERIOD_SECONDS: "0.5",
      CONTROLLER_TIMELINE: "off",
      CONTROLLER_NODECLAIM_DELETE_TIMEOUT_SECONDS: "120",
    },
    {
      async afterStop({ client }) {
        await client.request({ method: "DELETE", path: `/api/v1/nodes/${spareNode}` }).catch(() => undefined);
      },
    },
  );
  ({ client, ns, worker } = rig);
});

afterAll(() => rig?.stop());

describe("InferenceSet controller", () => {
  it("brings upstream's phi-4-mini-set to readyReplicas == replicas with children shaped as upstream's", async () => {
    kubectl(["apply", "-n", ns, "-f", path.join(fixtures, "phi-4-mini-set.yaml")]);
    const set = await waitForReady("phi-4-mini-set", 2);
    expect(set.status?.selector).toBe("inferenceset.kaito.sh/created-by=phi-4-mini-set");
    expect(set.status?.conditions?.find((c) => c.type === "InferenceSetReady")).toMatchObject({
      reason: "inferencesetReady",
      message: "inferenceset is ready",
    });
    expect(set.metadata.finalizers).toContain("inferenceset.finalizer.kaito.sh");

    const kids = await children("phi-4-mini-set");
    for (const ws of kids) {
      expect(ws.metadata.name).toMatch(/^phi-4-mini-set-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
      expect(ws.metadata.ownerReferences).toEqual([
        expect.objectContaining({
          kind: "InferenceSet",
          name: "phi-4-mini-set",
          controller: true,
          uid: set.metadata.uid,
        }),
      ]);
      expect(ws.metadata.annotations?.["kaito.sh/disable-benchmark"]).toBe("true");
      expect(ws.resource?.labelSelector).toEqual({ matchLabels: { apps: "phi-4-mini-set" } });
      expect(ws.status?.state).toBe("Ready");
    }
    // The set's selector finds the model pods, as an HPA would read it.
    const pods = JSON.parse(kubectl(["get", "pods", "-n", ns, "-l", set.status!.selector!, "-o", "json"])).items;
    expect(pods).toHaveLength(2);
    expect((await setNodeClaims("phi-4-mini-set")).length).toBe(2);

    const metrics = await worker.metrics();
    for (const kind of ["desired", "current", "ready"])
      expect(metrics).toContain(
        `kaito_inferenceset_replicas{namespace="${ns}",inferenceset="phi-4-mini-set",kind="${kind}"} 2`,
      );

    const [header, row] = kubectl(["get", "is", "phi-4-mini-set", "-n", ns]).trimEnd().split("\n");
    expect(header.split(/\s+/).slice(0, 3)).toEqual(["NAME", "REPLICAS", "READYREPLICAS"]);
    expect(row.split(/\s+/).slice(0, 3)).toEqual(["phi-4-mini-set", "2", "2"]);
  });

  // Upstream's v0.12 controller gives every child the set's selector unchanged and pins the child's
  // pods with its own node labels in the StatefulSet's node affinity (its fixture's shape below).
  // Without them a child's pod took any free GPU on a node matching the set's selector.
  it("keeps each child's pod on the nodes made for it, even beside a free GPU on another node matching the set", async () => {
    const kids = await children("phi-4-mini-set");
    const claims = await setNodeClaims("phi-4-mini-set");
    const podOf = async (child: string) =>
      client.request<V1Pod>({ method: "GET", path: `/api/v1/namespaces/${ns}/pods/${child}-0` });
    for (const ws of kids) {
      expect(ws.resource?.labelSelector).toEqual({ matchLabels: { apps: "phi-4-mini-set" } });
      const sts = await client.request<V1StatefulSet>({
        method: "GET",
        path: `/apis/apps/v1/namespaces/${ns}/statefulsets/${ws.metadata.name}`,
      });
      expect(sts.spec?.template.spec?.affinity).toEqual({
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [
              {
                matchExpressions: [
                  { key: "apps", operator: "In", values: ["phi-4-mini-set"] },
                  { key: "kaito.sh/workspace", operator: "In", values: [ws.metadata.name] },
                  { key: "kaito.sh/workspacenamespace", operator: "In", values: [ns] },
                ],
              },
            ],
          },
        },
      });
      const own = claims.filter((c) => c.metadata.labels["kaito.sh/workspace"] === ws.metadata.name);
      expect(own.map((c) => c.status?.nodeName)).toContain((await podOf(ws.metadata.name)).spec?.nodeName);
    }

    const child = kids[0].metadata.name;
    const before = await podOf(child);
    const ownNode = before.spec!.nodeName!;
    // A GPU node made for another Workspace whose labels match the set's selector (a sibling's
    // spare GPU, as on a multi-GPU node), and a pod that holds the child's own GPU when its
    // model pod is replaced: the only free GPU the replacement could take is on the other node.
    const gpu = { cpu: "24", memory: "220Gi", pods: "110", "nvidia.com/gpu": "1" };
    await createKwokNode(client, spareNode, {
      labels: {
        apps: "phi-4-mini-set",
        "kaito.sh/workspace": "another-workspace",
        "kaito.sh/workspacenamespace": ns,
        "node.kubernetes.io/instance-type": "Standard_NC24ads_A100_v4",
      },
      capacity: gpu,
      taints: [{ key: "sku", value: "gpu", effect: "NoSchedule" }],
    });
    await client.request({
      method: "POST",
      path: `/api/v1/namespaces/${ns}/pods`,
      body: {
        apiVersion: "v1",
        kind: "Pod",
        metadata: { name: "gpu-holder" },
        spec: {
          nodeName: ownNode,
          tolerations: [{ operator: "Exists" }],
          containers: [
            {
              name: "hold",
              image: "busybox",
              resources: { requests: { "nvidia.com/gpu": "1" }, limits: { "nvidia.com/gpu": "1" } },
            },
          ],
        },
      },
    });
    await client.request({ method: "DELETE", path: `/api/v1/namespaces/${ns}/pods/${child}-0` });
    const replacement = await waitFor("the replacement pod placed or refused by the scheduler", async () => {
      const pod = await podOf(child);
      const scheduled = pod.status?.conditions?.find((c) => c.type === "PodScheduled");
      const decided = !!pod.spec?.nodeName || scheduled?.status === "False";
      return pod.metadata?.uid !== before.metadata?.uid && decided && pod;
    });
    expect(replacement.spec?.nodeName).toBeUndefined();
    expect(replacement.status?.conditions?.find((c) => c.type === "PodScheduled")?.reason).toBe("Unschedulable");

    await client.request({ method: "DELETE", path: `/api/v1/namespaces/${ns}/pods/gpu-holder` });
    await waitForReady("phi-4-mini-set", 2);
    expect((await podOf(child)).spec?.nodeName).toBe(ownNode);
    await client.request({ method: "DELETE", path: `/api/v1/nodes/${spareNode}` });
  });

  it("kubectl scale to 3 adds a child; down to 1 removes the newest first; to 0 leaves no children and no NodeClaims", async () => {
    const before = await children("phi-4-mini-set");
    kubectl(["scale", "is/phi-4-mini-set", "-n", ns, "--replicas=3"]);
    await waitForReady("phi-4-mini-set", 3);
    const three = await children("phi-4-mini-set");
    expect((await setNodeClaims("phi-4-mini-set")).length).toBe(3);
    const added = three.find((ws) => !before.some((b) => b.metadata.uid === ws.metadata.uid))!;
    expect(added).toBeDefined();

    kubectl(["scale", "is/phi-4-mini-set", "-n", ns, "--replicas=1"]);
    await waitForReady("phi-4-mini-set", 1);
    const [kept] = await children("phi-4-mini-set");
    const oldest = [...three].sort(
      (a, b) =>
        String(a.metadata.creationTimestamp).localeCompare(String(b.metadata.creationTimestamp)) ||
        Number(a.metadata.annotations?.["kaito-dashboard.dev/replica-index"]) -
          Number(b.metadata.annotations?.["kaito-dashboard.dev/replica-index"]),
    )[0];
    expect(kept.metadata.uid).toBe(oldest.metadata.uid);
    expect(kept.metadata.uid).not.toBe(added.metadata.uid);

    kubectl(["scale", "is/phi-4-mini-set", "-n", ns, "--replicas=0"]);
    await waitFor("no children and no NodeClaims", async () => {
      const set = await getSet("phi-4-mini-set");
      return (
        (await children("phi-4-mini-set")).length === 0 &&
        (await setNodeClaims("phi-4-mini-set")).length === 0 &&
        (set?.status?.replicas ?? 0) === 0
      );
    });
    const set = await getSet("phi-4-mini-set");
    expect(set?.status?.conditions?.find((c) => c.type === "InferenceSetReady")?.status).toBe("True");
  });

  it("stops at nodeCountLimit with a condition that says why, and creates no extra NodeClaims", async () => {
    applySet("limited", { replicas: 3, nodeCountLimit: 2 });
    const set = await waitFor("NodeCountLimitReached=True", async () => {
      const s = await getSet("limited");
      const c = s?.status?.conditions?.find((x) => x.type === "NodeCountLimitReached");
      return c?.status === "True" && (s?.status?.readyReplicas ?? 0) === 2 && s;
    });
    expect(set.status?.conditions?.find((c) => c.type === "NodeCountLimitReached")).toMatchObject({
      reason: "NodeCountLimitExceeded",
      message: expect.stringContaining("the set stops at 2 replicas"),
    });
    expect(set.status?.conditions?.find((c) => c.type === "InferenceSetReady")).toMatchObject({
      status: "False",
      message: "inferenceset is not ready, 2/3 replicas are ready",
    });
    expect(await children("limited")).toHaveLength(2);
    expect(await setNodeClaims("limited")).toHaveLength(2);

    kubectl([
      "patch",
      "is",
      "limited",
      "-n",
      ns,
      "--type=merge",
      "-p",
      JSON.stringify({ spec: { nodeCountLimit: 3 } }),
    ]);
    await waitForReady("limited", 3);
    expect((await getSet("limited"))?.status?.conditions?.find((c) => c.type === "NodeCountLimitReached")?.status).toBe(
      "False",
    );
  });

  it("lets an HPA resolve the set through the scale subresource", async () => {
    const scale = JSON.parse(kubectl(["get", "is", "limited", "-n", ns, "--subresource=scale", "-o", "json"]));
    expect(scale).toMatchObject({
      kind: "Scale",
      spec: { replicas: 3 },
      status: { replicas: 3, selector: "inferenceset.kaito.sh/created-by=limited" },
    });
    const hpa = {
      apiVersion: "autoscaling/v2",
      kind: "HorizontalPodAutoscaler",
      metadata: { name: "limited" },
      spec: {
        scaleTargetRef: { apiVersion: "kaito.sh/v1beta1", kind: "InferenceSet", name: "limited" },
        minReplicas: 1,
        maxReplicas: 3,
        metrics: [
          { type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 80 } } },
        ],
      },
    };
    kubectl(["apply", "-n", ns, "-f", "-"], JSON.stringify(hpa));
    // kube-controller-manager's HPA controller read the scale subresource (AbleToScale) and found
    // the set's pods through status.selector; this cluster has no metrics API, so it stops there.
    const conditions = await waitFor(
      "the HPA's AbleToScale condition",
      async () => {
        const got = JSON.parse(kubectl(["get", "hpa", "limited", "-n", ns, "-o", "json"]));
        const list = got.status?.conditions as { type: string; status: string; reason: string }[] | undefined;
        return list?.some((c) => c.type === "AbleToScale") && list;
      },
      { timeoutMs: 60_000 },
    );
    expect(conditions.find((c) => c.type === "AbleToScale")).toMatchObject({
      status: "True",
      reason: "SucceededGetScale",
    });
    kubectl(["delete", "hpa", "limited", "-n", ns]);
  });

  // Sampled every 100 ms: a child being deleted, a replacement not yet Ready, and a Ready child
  // that turns NotReady all count. The set is at nodeCountLimit, so each replacement also waits
  // for its predecessor's NodeClaim to go.
  it("rolls a template change out with at most maxUnavailable (1) child not Ready at any time", async () => {
    const before = new Set((await children("limited")).map((ws) => ws.metadata.uid));
    const beforeNames = new Set((await children("limited")).map((ws) => ws.metadata.name));
    let worst = 0;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const ready = (await children("limited")).filter((ws) => !ws.metadata.deletionTimestamp && succeeded(ws));
        worst = Math.max(worst, 3 - ready.length);
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    kubectl([
      "patch",
      "is",
      "limited",
      "-n",
      ns,
      "--type=merge",
      "-p",
      JSON.stringify({ spec: { template: { metadata: { annotations: { "example.com/rollout": "2" } } } } }),
    ]);
    const rolled = await waitFor(
      "every child replaced from the new template and ready",
      async () => {
        const kids = await children("limited");
        return (
          kids.length === 3 &&
          kids.every((ws) => succeeded(ws) && ws.metadata.annotations?.["example.com/rollout"] === "2") &&
          kids
        );
      },
      // One at a time (maxUnavailable 1, nodeCountLimit 3): each waits for the old child's
      // NodeClaim to go and a new node to come.
      { timeoutMs: 240_000 },
    );
    sampling = false;
    await sampler;
    expect(rolled.some((ws) => before.has(ws.metadata.uid))).toBe(false);
    // A replacement never takes its predecessor's name (and with it the old pod's name).
    expect(rolled.some((ws) => beforeNames.has(ws.metadata.name))).toBe(false);
    expect(worst).toBe(1);
    expect((await setNodeClaims("limited")).length).toBe(3);
  }, 300_000);

  it("after a kill -9 mid scale-up, the next worker finishes without duplicate children or NodeClaims", async () => {
    applySet("restart", { replicas: 4 });
    await waitFor("the first child", async () => (await children("restart")).length > 0, { intervalMs: 20 });
    await worker.kill("SIGKILL");
    worker = await rig.startWorker();
    await waitForReady("restart", 4);
    const kids = await children("restart");
    expect(new Set(kids.map((ws) => ws.metadata.annotations?.["kaito-dashboard.dev/replica-index"]))).toEqual(
      new Set(["0", "1", "2", "3"]),
    );
    const claims = await setNodeClaims("restart");
    expect(claims).toHaveLength(4);
    expect(new Set(claims.map((c) => c.metadata.labels["kaito.sh/workspace"])).size).toBe(4);
  });

  it("deleting the set deletes its children and their NodeClaims", async () => {
    kubectl(["delete", "is", "restart", "-n", ns, "--wait=false"]);
    await waitFor(
      "the set, its children and their NodeClaims gone",
      async () =>
        !(await getSet("restart")) &&
        (await children("restart")).length === 0 &&
        (await setNodeClaims("restart")).length === 0,
      { timeoutMs: 120_000 },
    );
  });
});
