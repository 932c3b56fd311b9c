// Two workers on one Lease: exactly one reconciles, and killing it hands over to the other.
// The Workspaces name an unknown model, so the only writer of their status is whichever worker
// leads: no GPU node has to be provisioned for the handover to show.
import { afterAll, beforeAll, expect, it } from "vitest";

import type { KubeClient } from "@/server/kube/kube-client";

import {
  applyExample,
  startWorkerRig,
  waitForCondition,
  type WorkerProcess,
  type WorkerRig,
} from "./controller-harness";
import { waitFor } from "../support/wait-for";

let client: KubeClient;
let ns: string;
let workers: WorkerProcess[] = [];
let rig: WorkerRig;

const isLeader = async (w: WorkerProcess) =>
  w.child.exitCode === null && w.child.signalCode === null && /^kaito_controller_leader 1$/m.test(await w.metrics());

beforeAll(async () => {
  rig = await startWorkerRig(
    "ctl-lease",
    {
      LEADER_ELECTION_LEASE_NAME: "worker",
      // The chart's defaults (10 / 8 / 2 s) keep handover within 15 s; the same proportions, shorter.
      LEADER_ELECTION_LEASE_DURATION_SECONDS: "5",
      LEADER_ELECTION_RENEW_DEADLINE_SECONDS: "4",
      LEADER_ELECTION_RETRY_PERIOD_SECONDS: "1",
      CONTROLLER_TIMELINE: "memory",
    },
    { replicas: 2 },
  );
  ({ client, ns, workers } = rig);
});

afterAll(() => rig?.stop());

it("lets exactly one of two workers reconcile, and hands over within 15 s when the leader is killed", async () => {
  await waitFor("a leader", async () => (await Promise.all(workers.map(isLeader))).some(Boolean));
  // Give a wrongly-elected second leader time to show up before counting.
  await new Promise((r) => setTimeout(r, 3000));
  const leaders = await Promise.all(workers.map(isLeader));
  expect(leaders.filter(Boolean)).toHaveLength(1);
  const leader = workers[leaders.indexOf(true)];
  const standby = workers[leaders.indexOf(false)];

  await applyExample(client, ns, "kaito_workspace_phi_3.yaml", (ws) => {
    ws.metadata.name = "before";
    ws.inference!.preset!.name = "no-such-model";
  });
  await waitForCondition(client, ns, "before", "ResourceReady", "False", "ValidationFailed");
  expect(leader.logs()).toMatch(/"msg":"workspace rejected by validation"/);
  expect(standby.logs()).not.toMatch(/"msg":"workspace rejected by validation"/);

  await leader.kill("SIGKILL");
  const killedAt = Date.now();
  await waitFor("the standby to lead", () => isLeader(standby), { timeoutMs: 30_000 });
  expect(Date.now() - killedAt).toBeLessThan(15_000);

  await applyExample(client, ns, "kaito_workspace_phi_3.yaml", (ws) => {
    ws.metadata.name = "after";
    ws.inference!.preset!.name = "no-such-model";
  });
  await waitForCondition(client, ns, "after", "ResourceReady", "False", "ValidationFailed");
  const lease = await client.request<{ spec: { holderIdentity: string; leaseTransitions: number } }>({
    method: "GET",
    path: `/apis/coordination.k8s.io/v1/namespaces/${ns}/leases/worker`,
  });
  expect(lease.spec.leaseTransitions).toBeGreaterThanOrEqual(1);

  // Clean up while a worker runs, so the finalizer releases the Workspaces and their NodeClaims.
  await client.request({ method: "DELETE", path: `/apis/kaito.sh/v1beta1/namespaces/${ns}/workspaces` });
  await waitFor("the Workspaces to be deleted", async () => {
    const list = await client.request<{ items: unknown[] }>({
      method: "GET",
      path: `/apis/kaito.sh/v1beta1/namespaces/${ns}/workspaces`,
    });
    return list.items.length === 0;
  });
});
