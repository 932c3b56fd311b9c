// CONTROLLER_MODE=observe beside upstream Kaito: upstream's own objects (tests/fixtures/
// upstream-kaito-v012) are replayed on the local cluster under upstream's field manager, our
// worker runs as a ServiceAccount bound to the chart's observe-mode RBAC, and
// - the apiserver's audit log (dev/cluster/audit-policy.yaml records every write a ServiceAccount
//   makes or attempts, refused ones included) holds no write from that identity: the apiserver's
//   own record, whatever code path in the worker might have tried one;
// - the timeline in the database shows the phases a reconciling worker records.
import type net from "node:net";

import type { PGlite } from "@electric-sql/pglite";
import { KubeConfig } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { serveEmbedded } from "@/dev/db/serve-embedded";
import { freePort } from "@/dev/lib/ports";
import { closeDb, openEmbedded } from "@/server/db/client";
import { createKubeClient, type KubeClient } from "@/server/kube/kube-client";
import { getWorkspaceTimeline } from "@/server/timeline/get-workspace-timeline";
import { waitFor } from "@/tests/support/wait-for";

import {
  getWorkspace,
  renderWorkerRbac,
  startWorkerRig,
  type WorkerIdentity,
  type WorkerProcess,
  type WorkerRig,
} from "./controller-harness";
import {
  auditEventsSince,
  auditLogOffset,
  UPSTREAM_FINALIZER,
  UPSTREAM_MANAGER,
  UpstreamReplay,
} from "./observe-fixtures";

const WRITE_VERBS = new Set(["create", "update", "patch", "delete", "deletecollection"]);

let client: KubeClient;
let ns: string;
let identity: WorkerIdentity;
let worker: WorkerProcess;
let rig: WorkerRig;
let auditStart: number;
let pglite: PGlite;
let dbServer: net.Server;
const saved = { DATABASE_URL: process.env.DATABASE_URL, PGLITE_DIR: process.env.PGLITE_DIR };

beforeAll(async () => {
  rig = await startWorkerRig(
    "obs",
    { CONTROLLER_MODE: "observe", CONTROLLER_TIMELINE: "database" },
    {
      mode: "observe",
      // One database both processes reach: this test owns it and serves it, the worker writes to it.
      async beforeStart({ ns }) {
        ({ pglite } = await openEmbedded(`memory://${ns}`, null));
        const port = await freePort();
        dbServer = await serveEmbedded(pglite, { port });
        process.env.DATABASE_URL = `postgresql://postgres@127.0.0.1:${port}/postgres`;
        await closeDb();
        auditStart = auditLogOffset();
        return { DATABASE_URL: process.env.DATABASE_URL };
      },
      async afterStop() {
        await closeDb();
        dbServer?.close();
        await pglite?.close();
        Object.assign(process.env, saved);
        for (const [key, value] of Object.entries(saved)) if (value === undefined) delete process.env[key];
      },
    },
  );
  ({ client, ns, identity, worker } = rig);
  await waitFor("the observer's caches", async () => {
    const body = (await (await fetch(`http://127.0.0.1:${worker.port}/readyz`)).json()) as { ready: boolean };
    return body.ready;
  });
});

afterAll(() => rig?.stop());

describe("observe mode beside upstream Kaito", () => {
  it("the chart's observe-mode RBAC grants reads only, and no Lease", () => {
    const docs = renderWorkerRbac("kd-worker", "kd", "observe");
    expect(docs.map((d) => d.kind)).toEqual(["ServiceAccount", "ClusterRole", "ClusterRoleBinding"]);
    const rules = (docs[1] as { rules: { verbs: string[] }[] }).rules;
    expect(rules.flatMap((r) => r.verbs).filter((v) => !["get", "list", "watch"].includes(v))).toEqual([]);
  });

  it("records upstream's phases from Workspace to Ready to Deleted, and writes nothing to Kubernetes", async () => {
    const upstream = new UpstreamReplay(client, ns);
    const created = await upstream.createWorkspace();
    const nodeName = await upstream.createNodeClaim();
    await upstream.writeStatus(nodeName, ["NodesReady", "NodeClaimReady", "ResourceReady"]);
    await upstream.createWorkload(created);
    await upstream.writeStatus(nodeName);

    const reached = (phases: string[]) =>
      waitFor(
        `the timeline of ${ns}/${upstream.name} to show ${phases.join(", ")}`,
        async () => {
          const timeline = await getWorkspaceTimeline(ns, upstream.name);
          const seen = new Set<string>(timeline.events.map((e) => e.phase));
          return phases.every((p) => seen.has(p)) ? timeline : undefined;
        },
        { timeoutMs: 60_000, intervalMs: 500 },
      );
    // The phases controller-workspaces.test.ts expects of a reconciling worker, and upstream's success.
    const ready = await reached([
      "Accepted",
      "NodeClaimCreated",
      "NodeClaimReady",
      "NodeReady",
      "GpuCapacityReported",
      "WorkloadCreated",
      "PodScheduled",
      "PodReady",
      "ResourceReady",
      "InferenceReady",
      "WorkspaceSucceeded",
    ]);
    expect(ready.workspaceUid).toBe(created.metadata.uid);
    expect(ready.events.filter((e) => e.phase === "Failed")).toEqual([]);
    expect(ready.events.find((e) => e.phase === "NodeClaimCreated")?.subject).toBe(upstream.claimName);

    // Upstream's status and finalizer are as upstream wrote them: the observer added nothing.
    const ws = await getWorkspace(client, ns, upstream.name);
    expect(ws?.metadata.finalizers).toEqual([UPSTREAM_FINALIZER]);
    const managers = (ws?.metadata as { managedFields?: { manager: string }[] }).managedFields?.map((m) => m.manager);
    expect(new Set(managers)).toEqual(new Set(["kubectl-client-side-apply", UPSTREAM_MANAGER]));

    await upstream.requestDeletion();
    await reached(["Deleting"]);
    await upstream.releaseFinalizer();
    await reached(["Deleted"]);

    // A write with the worker's own token (refused: read-only) shows the log records this
    // identity's attempts…
    const kc = new KubeConfig();
    kc.loadFromFile(identity.kubeconfig);
    const asWorker = await createKubeClient(kc);
    await expect(
      asWorker.request({
        method: "POST",
        path: `/api/v1/namespaces/${ns}/configmaps`,
        body: { metadata: { name: "audit-probe" } },
      }),
    ).rejects.toMatchObject({ statusCode: 403 });
    const fromWorker = await waitFor("the probe in the audit log", () => {
      const events = auditEventsSince(auditStart).filter((e) => e.user.username === identity.user);
      return events.some((e) => e.objectRef?.resource === "configmaps" && e.responseStatus?.code === 403) && events;
    });
    // …and that, all along, the worker made none.
    const writes = fromWorker.filter((e) => WRITE_VERBS.has(e.verb) && e.objectRef?.resource !== "configmaps");
    expect(
      writes.map((e) => `${e.verb} ${e.objectRef?.resource}/${e.objectRef?.name} → ${e.responseStatus?.code}`),
    ).toEqual([]);
    expect(worker.logs()).toContain("observer started");
  });
});
