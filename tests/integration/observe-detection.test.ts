// Never two controllers on one object. A reconciling worker (the chart's reconcile-mode RBAC)
// - leaves alone a Workspace whose status upstream's field manager writes (as upstream wrote it:
//   tests/fixtures/upstream-kaito-v012);
// - stands down while a Deployment and a Lease shaped like upstream's exist, says why in its log,
//   /readyz and the status bar's API, naming observe mode, and resumes when they are gone.
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { checkControllerStatus } from "@/server/controller/upstream-status";
import type { KubeClient } from "@/server/kube/kube-client";

import {
  applyExample,
  getWorkspace,
  listNodeClaims,
  startWorkerRig,
  type WorkerProcess,
  type WorkerRig,
} from "./controller-harness";
import { UPSTREAM_FINALIZER, UPSTREAM_MANAGER, UpstreamReplay } from "./observe-fixtures";
import { waitFor } from "../support/wait-for";

type Readyz = { ready: boolean; refused?: string; informers: { path: string }[] };

let client: KubeClient;
let ns: string;
let worker: WorkerProcess;
let rig: WorkerRig;
let upstream: UpstreamReplay;
let renewal: NodeJS.Timeout | undefined;

const readyz = async (): Promise<{ status: number; body: Readyz }> => {
  const response = await fetch(`http://127.0.0.1:${worker.port}/readyz`);
  return { status: response.status, body: (await response.json()) as Readyz };
};

const managers = (ws: Awaited<ReturnType<typeof getWorkspace>>) =>
  new Set((ws?.metadata as { managedFields?: { manager: string }[] }).managedFields?.map((m) => m.manager));

beforeAll(async () => {
  rig = await startWorkerRig(
    "det",
    { LEADER_ELECTION: "false", CONTROLLER_TIMELINE: "memory" },
    {
      // Upstream reconciled this Workspace before our worker started: its finalizer, its status.
      async beforeStart({ client, ns }) {
        upstream = new UpstreamReplay(client, ns);
        await upstream.createWorkspace();
        await upstream.writeStatus("wsupstream0");
      },
      // Upstream's finalizer would hold its Workspaces, and so the namespace, for ever.
      async afterStop({ client, ns }) {
        const list = await client
          .request<{ items: { metadata: { name: string } }[] }>({
            method: "GET",
            path: `/apis/kaito.sh/v1beta1/namespaces/${ns}/workspaces`,
          })
          .catch(() => ({ items: [] }));
        for (const ws of list.items)
          await client
            .request({
              method: "PATCH",
              path: `/apis/kaito.sh/v1beta1/namespaces/${ns}/workspaces/${ws.metadata.name}`,
              contentType: "application/merge-patch+json",
              body: { metadata: { finalizers: null } },
            })
            .catch(() => undefined);
      },
    },
  );
  ({ client, ns, worker } = rig);
  await waitFor("the worker ready", async () => (await readyz()).status === 200);
});

afterAll(async () => {
  clearInterval(renewal);
  await rig?.stop();
});

describe("never two controllers on one Workspace", () => {
  it("leaves a Workspace whose status upstream's field manager writes exactly as upstream wrote it", async () => {
    await waitFor("the worker to say it leaves the Workspace alone", () =>
      worker
        .logs()
        .split("\n")
        .some((line) => line.includes("left alone") && line.includes(`"workspace":"${ns}/${upstream.name}"`)),
    );
    const ws = await getWorkspace(client, ns, upstream.name);
    expect(managers(ws)).toEqual(new Set(["kubectl-client-side-apply", UPSTREAM_MANAGER]));
    expect(ws?.metadata.finalizers).toEqual([UPSTREAM_FINALIZER]);
    expect(ws?.status?.conditions?.find((c) => c.type === "ResourceReady")?.reason).toBe(
      "workspaceResourceStatusSuccess",
    );
    expect(await listNodeClaims(client, ns, upstream.name)).toEqual([]);
  });

  it("stands down while upstream's Deployment and Lease exist, says why naming observe mode, and resumes after", async () => {
    const deployment = {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: {
        name: "kaito-workspace",
        labels: {
          "app.kubernetes.io/name": "workspace",
          "app.kubernetes.io/instance": "kaito-workspace",
          "helm.sh/chart": "workspace-0.12.0",
        },
      },
      spec: {
        replicas: 1,
        selector: { matchLabels: { "app.kubernetes.io/name": "workspace" } },
        template: {
          metadata: { labels: { "app.kubernetes.io/name": "workspace" } },
          spec: {
            // No node carries this label: the pod stays Pending, the Deployment still says it runs.
            nodeSelector: { "kaito-dashboard.dev/test": "never" },
            containers: [{ name: "workspace", image: "mcr.microsoft.com/aks/kaito/workspace:0.12.0" }],
          },
        },
      },
    };
    await client.request({ method: "POST", path: `/apis/apps/v1/namespaces/${ns}/deployments`, body: deployment });
    const renew = () => new Date().toISOString().replace("Z", "000Z");
    await client.request({
      method: "POST",
      path: `/apis/coordination.k8s.io/v1/namespaces/${ns}/leases`,
      body: {
        metadata: { name: "ef60f9b0.io" },
        spec: { holderIdentity: "kaito-workspace-6f7c9_0d1e", leaseDurationSeconds: 15, renewTime: renew() },
      },
    });
    // Upstream's leader renews its Lease every few seconds while it runs.
    renewal = setInterval(() => {
      void client
        .request({
          method: "PATCH",
          path: `/apis/coordination.k8s.io/v1/namespaces/${ns}/leases/ef60f9b0.io`,
          contentType: "application/merge-patch+json",
          body: { spec: { renewTime: renew() } },
        })
        .catch(() => undefined);
    }, 3_000);

    const refused = await waitFor("/readyz to refuse", async () => {
      const r = await readyz();
      return r.status === 503 && r.body.refused ? r.body : undefined;
    });
    expect(refused.refused).toContain(`Deployment ${ns}/kaito-workspace`);
    expect(refused.refused).toContain(`Lease ${ns}/ef60f9b0.io`);
    expect(refused.refused).toContain("CONTROLLER_MODE=observe");
    // Its controller is stopped, not merely unready: no Workspace informer runs.
    expect(refused.informers.some((i) => i.path.includes("workspaces"))).toBe(false);
    expect(worker.logs()).toContain("Upstream Kaito's workspace controller is running");
    expect(worker.logs()).toContain("controller stopped");
    // What the status bar shows (its API's controller field), read as the web reads it.
    const status = await checkControllerStatus(client);
    expect(status.mode).toBe("reconcile");
    expect(status.refused).toContain("controller.mode=observe");

    // In v1beta1: created as the seed's v1alpha1 and then written in v1beta1, the object came back
    // from the local apiserver without any managedFields (seen here; the v1beta1 case keeps them).
    const fresh = await applyExample(client, ns, "kaito_workspace_phi_3.yaml", (ws) => {
      ws.apiVersion = "kaito.sh/v1beta1";
      ws.metadata.name = "created-beside-upstream";
    });
    expect((await getWorkspace(client, ns, fresh.metadata.name))?.metadata.finalizers ?? []).toEqual([]);

    clearInterval(renewal);
    await client.request({ method: "DELETE", path: `/apis/apps/v1/namespaces/${ns}/deployments/kaito-workspace` });
    await client.request({
      method: "DELETE",
      path: `/apis/coordination.k8s.io/v1/namespaces/${ns}/leases/ef60f9b0.io`,
    });
    await waitFor("/readyz ready again", async () => (await readyz()).status === 200);
    const resumed = await waitFor("the Workspace created meanwhile to be reconciled", async () => {
      const ws = await getWorkspace(client, ns, fresh.metadata.name);
      return ws?.metadata.finalizers?.includes(UPSTREAM_FINALIZER) && ws.status?.conditions?.length ? ws : undefined;
    });
    expect(managers(resumed)).toContain("kaito-dashboard");
    expect(worker.logs()).toContain("no upstream Kaito controller present: reconciling");
  });
});
