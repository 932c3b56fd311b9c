// InferenceSet at scale (issue 14): one InferenceSet scaled 0 → N → 0 replicas against N separate
// Workspaces of the same shape applied and deleted, in one run on the same cluster with the same
// worker build. Each half has its own namespace and its own worker process (so each peak RSS is
// its own). Prints and records in docs/benchmarks.md: time to all Ready, time to all gone
// (children and NodeClaims), the worker's apiserver writes per replica, its CPU time and peak RSS,
// and the set's cost as a multiple of the Workspaces' (target ≤ 1.1×).
//   npm run bench:inferenceset -- [N] [--no-record]     (N default 200)
// dev/bench.mjs first installs PostgreSQL when missing and starts the local cluster when none runs
// (with PROVISIONER_DELAY_MS=0 KWOK_POD_READY_DELAY_MS=0), and stops what it started afterwards.
import os from "node:os";

import { mergePatch } from "@/server/kube/apply-object";
import { createInformer } from "@/server/kube/create-informer";
import type { KubeClient } from "@/server/kube/kube-client";
import type { InferenceSet } from "@/server/kube/types/inferenceset";
import type { Workspace } from "@/server/kube/types/workspace";

import { listNodeClaims, type WorkerProcess } from "../tests/integration/controller-harness";
import { waitFor } from "../tests/support/wait-for";

import { recordRun } from "./record-result";
import {
  benchArgs,
  bundleWorker,
  CREATE_CONCURRENCY,
  createBenchNamespace,
  describeMachine,
  pool,
  procStat,
  startBench,
  startBenchWorker,
  WORKER_NODE_OPTIONS,
  writesByResource,
} from "./worker-under-test";

const { N, record: RECORD } = benchArgs(200);
const TIMEOUT_MS = 5 * 60_000;
const SET_NAME = "bench-set";

/** What a replica is, in both halves: the shape bench/controller-scale.ts applies. */
const TEMPLATE = {
  resource: { instanceType: "Standard_NC6s_v3" },
  inference: { preset: { name: "phi-3-mini-4k-instruct" } },
};

type Half = {
  label: string;
  /** Until all N Workspaces exist (the bench's watch saw them). */
  createdS: number;
  /** Until all N are WorkspaceSucceeded (before the set's own status says so). */
  succeededS: number;
  readyS: number;
  goneS: number;
  writesUp: Map<string, number>;
  writesDown: Map<string, number>;
  workerCpuS: number;
  peakRssMiB: number;
};

const succeeded = (w: Workspace) =>
  w.status?.conditions?.some((c) => c.type === "WorkspaceSucceeded" && c.status === "True") ?? false;

const elapsedS = (since: number) => (Date.now() - since) / 1000;

function delta(after: Map<string, number>, before: Map<string, number>): Map<string, number> {
  return new Map([...after].map(([k, v]) => [k, v - (before.get(k) ?? 0)] as const).filter(([, v]) => v > 0));
}

const sum = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);

/**
 * One half: `up` starts the N replicas, `down` starts their removal. The Workspaces of the
 * namespace are watched (a list of N with their status every few hundred ms would load the
 * apiserver the run measures); NodeClaims are listed by their namespace label twice a second.
 */
async function measureHalf(input: {
  label: string;
  client: KubeClient;
  ns: string;
  worker: WorkerProcess;
  up: () => Promise<void>;
  /** Also true before "all Ready" counts (the set's own status for the set). */
  readyToo?: () => Promise<boolean>;
  down: () => Promise<void>;
}): Promise<Half> {
  const { client, ns, worker } = input;
  const watched = createInformer<Workspace>({
    client,
    path: `/apis/kaito.sh/v1beta1/namespaces/${ns}/workspaces`,
    transform: (w) => ({ metadata: w.metadata, status: w.status }) as Workspace,
  });
  await watched.start();
  const pid = worker.child.pid!;
  const cpuBefore = procStat(pid).cpuTicks;
  const before = writesByResource(await worker.metrics());

  console.log(`${input.label}: 0 → ${N}`);
  const t0 = Date.now();
  await input.up();
  let lastReport = Date.now();
  let createdS = 0;
  let succeededS = 0;
  await waitFor(
    `${input.label}: ${N} replicas WorkspaceSucceeded`,
    async () => {
      const all = watched.list();
      if (!createdS && all.length === N) createdS = elapsedS(t0);
      const done = all.filter(succeeded).length;
      if (!succeededS && done === N) succeededS = elapsedS(t0);
      if (Date.now() - lastReport > 10_000) {
        lastReport = Date.now();
        console.log(`  ${done}/${N} Ready after ${elapsedS(t0).toFixed(0)} s`);
      }
      return done === N && (!input.readyToo || (await input.readyToo()));
    },
    { timeoutMs: TIMEOUT_MS, intervalMs: 100 },
  );
  const readyS = elapsedS(t0);
  const ready = writesByResource(await worker.metrics());
  console.log(`  all Ready after ${readyS.toFixed(1)} s`);

  console.log(`${input.label}: ${N} → 0`);
  const t1 = Date.now();
  await input.down();
  await waitFor(
    `${input.label}: no Workspaces and no NodeClaims`,
    async () => watched.list().length === 0 && (await listNodeClaims(client, ns)).length === 0,
    { timeoutMs: TIMEOUT_MS, intervalMs: 500 },
  );
  const goneS = elapsedS(t1);
  console.log(`  all gone after ${goneS.toFixed(1)} s`);
  watched.stop();
  // The status writes that follow the last deletion belong to the run.
  await new Promise((r) => setTimeout(r, 3000));
  const end = writesByResource(await worker.metrics());
  const stat = procStat(pid);
  return {
    label: input.label,
    createdS,
    succeededS,
    readyS,
    goneS,
    writesUp: delta(ready, before),
    writesDown: delta(end, ready),
    workerCpuS: (stat.cpuTicks - cpuBefore) / 100,
    peakRssMiB: stat.peakRssMiB,
  };
}

async function main() {
  const { client, databaseUrl, stopDatabase } = await startBench();
  const script = await bundleWorker();
  const loadBefore = os.loadavg();
  const started = new Date().toISOString();

  const wsNs = await createBenchNamespace(client, "bench-iset-ws");
  let worker = await startBenchWorker({ ns: wsNs, databaseUrl, script });
  const workspaces = await measureHalf({
    label: `${N} Workspaces`,
    client,
    ns: wsNs,
    worker,
    up: () =>
      pool(
        Array.from({ length: N }, (_, i) => i),
        CREATE_CONCURRENCY,
        async (i) => {
          await client.request({
            method: "POST",
            path: `/apis/kaito.sh/v1beta1/namespaces/${wsNs}/workspaces`,
            body: {
              apiVersion: "kaito.sh/v1beta1",
              kind: "Workspace",
              metadata: { name: `bench-${i}`, namespace: wsNs },
              resource: { ...TEMPLATE.resource, labelSelector: { matchLabels: { apps: `bench-${i}` } } },
              inference: TEMPLATE.inference,
            },
          });
        },
      ),
    down: () => client.request({ method: "DELETE", path: `/apis/kaito.sh/v1beta1/namespaces/${wsNs}/workspaces` }),
  });
  await worker.kill();

  const setNs = await createBenchNamespace(client, "bench-iset");
  worker = await startBenchWorker({ ns: setNs, databaseUrl, script });
  const setPath = `/apis/kaito.sh/v1beta1/namespaces/${setNs}/inferencesets/${SET_NAME}`;
  await client.request({
    method: "POST",
    path: `/apis/kaito.sh/v1beta1/namespaces/${setNs}/inferencesets`,
    body: {
      apiVersion: "kaito.sh/v1beta1",
      kind: "InferenceSet",
      metadata: { name: SET_NAME, namespace: setNs },
      spec: { replicas: 0, labelSelector: { matchLabels: { apps: SET_NAME } }, template: TEMPLATE },
    },
  });
  const getSet = () => client.request<InferenceSet>({ method: "GET", path: setPath });
  // The worker has taken the set in (finalizer, status) before the clock starts.
  await waitFor("the set at 0 replicas, reconciled", async () => (await getSet()).status?.selector !== undefined);
  // Scaled as kubectl scale, an HPA or KEDA would: through the scale subresource.
  const scale = (replicas: number) => mergePatch(client, `${setPath}/scale`, { spec: { replicas } }).then(() => {});
  const set = await measureHalf({
    label: `an InferenceSet of ${N}`,
    client,
    ns: setNs,
    worker,
    up: () => scale(N),
    readyToo: async () => (await getSet()).status?.readyReplicas === N,
    down: () => scale(0),
  });
  const setAfter = await getSet();
  if (setAfter.status?.replicas !== 0) throw new Error(`the set reports ${setAfter.status?.replicas} replicas after 0`);
  // While the worker still runs: it removes the set's finalizer.
  await client.request({ method: "DELETE", path: setPath });
  await waitFor("the set deleted", () =>
    getSet().then(
      () => false,
      () => true,
    ),
  );
  await worker.kill();
  const loadAfter = os.loadavg();

  const perReplica = (m: Map<string, number>) => (sum(m) / N).toFixed(2);
  const byResource = (half: Half) =>
    [...new Set([...half.writesUp.keys(), ...half.writesDown.keys()])]
      .sort()
      .map((k) => `${k} ${(((half.writesUp.get(k) ?? 0) + (half.writesDown.get(k) ?? 0)) / N).toFixed(2)}`)
      .join(", ");
  const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`;
  const writes = (half: Half) => sum(half.writesUp) + sum(half.writesDown);
  const rows: [string, string, string, string][] = [
    [
      "all created, all WorkspaceSucceeded after (s)",
      `${workspaces.createdS.toFixed(1)}, ${workspaces.succeededS.toFixed(1)}`,
      `${set.createdS.toFixed(1)}, ${set.succeededS.toFixed(1)}`,
      "",
    ],
    ["all Ready after (s)", workspaces.readyS.toFixed(1), set.readyS.toFixed(1), ratio(set.readyS, workspaces.readyS)],
    [
      "all gone after, children and NodeClaims (s)",
      workspaces.goneS.toFixed(1),
      set.goneS.toFixed(1),
      ratio(set.goneS, workspaces.goneS),
    ],
    [
      "worker's apiserver writes per replica, up + down",
      `${perReplica(workspaces.writesUp)} + ${perReplica(workspaces.writesDown)}`,
      `${perReplica(set.writesUp)} + ${perReplica(set.writesDown)}`,
      ratio(writes(set), writes(workspaces)),
    ],
    ["writes per replica by resource", byResource(workspaces), byResource(set), ""],
    [
      "worker CPU, up and down (s)",
      workspaces.workerCpuS.toFixed(1),
      set.workerCpuS.toFixed(1),
      ratio(set.workerCpuS, workspaces.workerCpuS),
    ],
    [
      "worker peak RSS (MiB)",
      workspaces.peakRssMiB.toFixed(0),
      set.peakRssMiB.toFixed(0),
      ratio(set.peakRssMiB, workspaces.peakRssMiB),
    ],
  ];
  const table = [
    `| figure | ${N} Workspaces | InferenceSet 0 → ${N} → 0 | set ÷ Workspaces |`,
    "|---|---|---|---|",
    ...rows.map((r) => `| ${r.join(" | ")} |`),
  ].join("\n");
  console.log(table);
  if (RECORD)
    recordRun(
      "inferenceset",
      "InferenceSet at scale",
      `## InferenceSet: 0 → ${N} → 0 replicas vs ${N} Workspaces (${started})\n\n` +
        `${describeMachine([
          ["at the start", loadBefore],
          ["at the end", loadAfter],
        ])}; ` +
        `the shared local cluster on the same machine, with whatever provisioner and pod-ready delays it was started with ` +
        `(\`npm run bench:inferenceset\` starts it with \`PROVISIONER_DELAY_MS=0 KWOK_POD_READY_DELAY_MS=0\`). ` +
        `Each replica: ${TEMPLATE.resource.instanceType}, preset ${TEMPLATE.inference.preset.name}. ` +
        `The Workspaces first (${CREATE_CONCURRENCY} creates in flight, then one collection delete), then the set ` +
        `(created at 0, scaled to ${N} and back to 0 through its scale subresource); each half with its own namespace and ` +
        `its own worker process, bundled as the package ships it (image and chart environment, NODE_OPTIONS \`${WORKER_NODE_OPTIONS.join(" ")}\`), ` +
        `timeline in a PostgreSQL 15 server. "All Ready": every replica WorkspaceSucceeded (for the set also \`status.readyReplicas\` = ${N}) as the bench's watch saw it; ` +
        `"all gone": no Workspace and no NodeClaim left in the namespace. Writes: the worker's own request counter; ` +
        `the set's include creating and deleting its ${N} children, which the Workspaces' half leaves to its client. ` +
        `Command: \`node --conditions=react-server --import tsx bench/inferenceset-scale.ts ${N}\`.\n\n${table}\n\n` +
        `Target (issue 14): the set costs no more than 1.1× the Workspaces.\n`,
    );
  await client.request({ method: "DELETE", path: `/api/v1/namespaces/${wsNs}` }).catch(() => undefined);
  await client.request({ method: "DELETE", path: `/api/v1/namespaces/${setNs}` }).catch(() => undefined);
  await stopDatabase();
  process.exit(0);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
