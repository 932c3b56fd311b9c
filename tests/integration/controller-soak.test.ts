// The worker killed with SIGKILL at random moments during a 50-Workspace rollout, and the
// kube-apiserver restarted under it: everything converges, no Workspace ever gets a second
// NodeClaim, and deleting them all leaves no NodeClaim or Node behind. Real local cluster
// (`npm run cluster:up`), the worker with the chart's RBAC.
import { spawn, type ChildProcess } from "node:child_process";
import { openSync, readFileSync, readlinkSync, writeFileSync } from "node:fs";
import path from "node:path";

import { afterAll, beforeAll, expect, it } from "vitest";

import { kwokClusterDir } from "@/dev/cluster/paths";
import type { KubeClient } from "@/server/kube/kube-client";
import type { Workspace } from "@/server/kube/types/workspace";

import { applyExample, listNodeClaims, startWorkerRig, type WorkerProcess, type WorkerRig } from "./controller-harness";
import { waitFor } from "../support/wait-for";

const ROLLOUT = 50;
const PHI3 = "kaito_workspace_phi_3.yaml";

let client: KubeClient;
let ns: string;
let worker: WorkerProcess;
let rig: WorkerRig;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  rig = await startWorkerRig("ctl-soak", {
    LEADER_ELECTION: "false",
    // The timeline's own restart idempotency is covered in controller-workspaces.test.ts.
    CONTROLLER_TIMELINE: "memory",
    LOG_LEVEL: "warn",
  });
  ({ client, ns, worker } = rig);
});

afterAll(() => rig?.stop());

async function createWorkspaces(names: string[]): Promise<void> {
  for (let i = 0; i < names.length; i += 10)
    await Promise.all(
      names.slice(i, i + 10).map((name) =>
        applyExample(client, ns, PHI3, (ws) => {
          ws.metadata.name = name;
          ws.resource!.labelSelector = { matchLabels: { apps: name } };
        }),
      ),
    );
}

async function succeeded(): Promise<Set<string>> {
  const list = await client.request<{ items: Workspace[] }>({
    method: "GET",
    path: `/apis/kaito.sh/v1beta1/namespaces/${ns}/workspaces`,
  });
  return new Set(
    list.items
      .filter((w) => w.status?.conditions?.some((c) => c.type === "WorkspaceSucceeded" && c.status === "True"))
      .map((w) => w.metadata.name),
  );
}

async function expectOneNodeClaimEach(names: string[]): Promise<void> {
  const claims = await listNodeClaims(client, ns);
  const perWorkspace = new Map<string, number>();
  for (const c of claims) {
    const owner = c.metadata.labels["kaito.sh/workspace"];
    perWorkspace.set(owner, (perWorkspace.get(owner) ?? 0) + 1);
  }
  expect(names.filter((n) => perWorkspace.get(n) !== 1)).toEqual([]);
  expect(claims).toHaveLength(names.length);
}

/**
 * Kills the kube-apiserver and starts it again with the same command line, working directory
 * and log file, as kwokctl's binary runtime had it (etcd keeps the state).
 */
async function restartApiserver(): Promise<void> {
  const pidFile = path.join(kwokClusterDir, "pids", "kube-apiserver.pid");
  const pid = Number(readFileSync(pidFile, "utf8").trim());
  const argv = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter(Boolean);
  const cwd = readlinkSync(`/proc/${pid}/cwd`);
  process.kill(pid, "SIGKILL");
  await waitFor("the old kube-apiserver to exit", async () => {
    try {
      return /\)\s+Z\s/.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
    } catch {
      return true;
    }
  });
  const logPath = path.join(kwokClusterDir, "logs", "kube-apiserver.log");
  // On a loaded machine the new process can die in start-up; start it again rather than leave the
  // cluster, which the later test files share, without an apiserver.
  const log = openSync(logPath, "a");
  let child: ChildProcess | null = null;
  const ensureRunning = () => {
    if (child && child.exitCode === null && child.signalCode === null) return;
    child = spawn(argv[0], argv.slice(1), {
      cwd,
      detached: true,
      stdio: ["ignore", log, log],
    });
    child.unref();
    writeFileSync(pidFile, String(child.pid));
  };
  try {
    await waitFor(
      "the kube-apiserver to be ready again",
      async () => {
        ensureRunning();
        return !!(await client.request<{ gitVersion?: string }>({ method: "GET", path: "/version" })).gitVersion;
      },
      { timeoutMs: 120_000 },
    );
  } catch (error) {
    const tail = readFileSync(logPath, "utf8").trimEnd().split("\n").slice(-15).join("\n");
    throw new Error(`${(error as Error).message}\nkube-apiserver.log ends with:\n${tail}`, { cause: error });
  }
}

it(`converges after kill -9 at random moments during a ${ROLLOUT}-Workspace rollout, without duplicate NodeClaims`, async () => {
  const names = Array.from({ length: ROLLOUT }, (_, i) => `soak-${i}`);
  await createWorkspaces(names);
  let kills = 0;
  // Kill while the rollout runs (creating claims, applying workloads, writing status), not after.
  while (kills < 5 && (await succeeded()).size < ROLLOUT) {
    await sleep(1000 + Math.random() * 4000);
    await worker.kill("SIGKILL");
    kills++;
    worker = await rig.startWorker();
  }
  expect(kills).toBeGreaterThanOrEqual(2);
  await waitFor("every Workspace to succeed", async () => (await succeeded()).size === ROLLOUT, { timeoutMs: 180_000 });
  await expectOneNodeClaimEach(names);
}, 300_000);

it("converges when the kube-apiserver restarts in the middle of a rollout", async () => {
  const names = Array.from({ length: 10 }, (_, i) => `restart-${i}`);
  await createWorkspaces(names);
  await waitFor("the first NodeClaims of the second rollout", async () =>
    (await listNodeClaims(client, ns)).some((c) => c.metadata.labels["kaito.sh/workspace"].startsWith("restart-")),
  );
  await restartApiserver();
  await waitFor(
    "every Workspace to succeed",
    async () => {
      const done = await succeeded();
      return names.every((n) => done.has(n));
    },
    { timeoutMs: 180_000 },
  );
  await expectOneNodeClaimEach([...Array.from({ length: ROLLOUT }, (_, i) => `soak-${i}`), ...names]);
}, 300_000);

it("leaves no NodeClaim and no Node behind after deleting every Workspace", async () => {
  await client.request({ method: "DELETE", path: `/apis/kaito.sh/v1beta1/namespaces/${ns}/workspaces` });
  await waitFor(
    "every Workspace to be gone",
    async () =>
      (
        await client.request<{ items: unknown[] }>({
          method: "GET",
          path: `/apis/kaito.sh/v1beta1/namespaces/${ns}/workspaces`,
        })
      ).items.length === 0,
    { timeoutMs: 180_000 },
  );
  expect(await listNodeClaims(client, ns)).toEqual([]);
  await waitFor("the Workspaces' Nodes to be gone", async () => {
    const nodes = await client.request<{ items: unknown[] }>({
      method: "GET",
      path: "/api/v1/nodes",
      query: { labelSelector: `kaito.sh/workspacenamespace=${ns}` },
    });
    return nodes.items.length === 0;
  });
}, 240_000);
