// Controller at scale: N Workspaces applied at once on the local cluster → all WorkspaceSucceeded.
// Prints and appends to docs/benchmarks.md: total time, p50/p99 time-to-ready, apiserver writes per
// Workspace (from the worker's own request counter), worker peak RSS, idle CPU afterwards, and the
// apiserver's own write ceiling (plain ConfigMap creates) measured in the same run.
//   npm run bench:controller -- [N] [--reuse-nodes] [--tsx] [--no-record]     (N default 1000)
// dev/bench.mjs first installs PostgreSQL when missing and starts the local cluster when none runs
// (with PROVISIONER_DELAY_MS=0 KWOK_POD_READY_DELAY_MS=0), and stops what it started afterwards.
import { readdirSync, readFileSync } from "node:fs";
import https from "node:https";
import os from "node:os";
import path from "node:path";

import type { KubeConfig } from "@kubernetes/client-node";

import { createInformer } from "@/server/kube/create-informer";
import type { KubeClient } from "@/server/kube/kube-client";
import type { Workspace } from "@/server/kube/types/workspace";

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

const { N, record: RECORD } = benchArgs(1000);
// --reuse-nodes: pre-create one ready GPU node per Workspace (KWOK runs it) so the run measures the
// controller's reuse path without the GPU provisioner double in the loop.
const REUSE_NODES = process.argv.includes("--reuse-nodes");
// --cpu-prof=DIR: the worker writes a V8 CPU profile there when it exits (open it in Chrome DevTools).
const CPU_PROF_DIR = process.argv.find((a) => a.startsWith("--cpu-prof="))?.slice("--cpu-prof=".length);
// --tsx: run server/worker.ts through tsx (as `npm run worker` does) instead of the bundle the
// package ships; tsx's loader thread alone adds ~115 MiB of RSS, which is not the product's.
const VIA_TSX = process.argv.includes("--tsx");

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** Every component's writes, from the apiserver's own request counter (mutating verbs, all codes). */
async function clusterWrites(kc: KubeConfig): Promise<number> {
  const options: https.RequestOptions = {};
  await kc.applyToHTTPSOptions(options);
  const text = await new Promise<string>((resolve, reject) => {
    https
      .get(new URL("/metrics", kc.getCurrentCluster()!.server), options, (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (body += chunk));
        res.on("end", () => resolve(body));
      })
      .on("error", reject);
  });
  let total = 0;
  for (const m of text.matchAll(/^apiserver_request_total\{([^}]*)\} (\S+)$/gm)) {
    if (/verb="(POST|PUT|PATCH|APPLY|DELETE|DELETECOLLECTION)"/.test(m[1])) total += Number(m[2]);
  }
  return total;
}

/** The machine's CPU time so far (/proc/stat, in ticks): busy (user … softirq) and stolen by the hypervisor. */
function machineCpuTicks(): { busy: number; steal: number; total: number } {
  const [user, nice, system, idle, iowait, irq, softirq, steal] = readFileSync("/proc/stat", "utf8")
    .split("\n")[0]
    .split(/\s+/)
    .slice(1)
    .map(Number);
  const busy = user + nice + system + irq + softirq;
  return { busy, steal, total: busy + idle + iowait + steal };
}

/** CPU seconds used so far by each process of the local cluster (found by its command line). */
function clusterCpuSeconds(): Map<string, number> {
  const out = new Map<string, number>();
  for (const pid of readdirSync("/proc").filter((p) => /^\d+$/.test(p))) {
    let cmdline: string;
    try {
      cmdline = readFileSync(`/proc/${pid}/cmdline`, "utf8");
    } catch {
      continue;
    }
    const name =
      /kwok\/clusters\/[^/]+\/bin\/([\w-]+)/.exec(cmdline)?.[1] ??
      (cmdline.includes("dev/provisioner/main.ts") ? "GPU provisioner double" : undefined);
    if (!name) continue;
    try {
      out.set(name, (out.get(name) ?? 0) + procStat(Number(pid)).cpuTicks / 100);
    } catch {
      // exited meanwhile
    }
  }
  return out;
}

async function apiserverWriteCeiling(client: KubeClient, ns: string, count: number): Promise<number> {
  const names = Array.from({ length: count }, (_, i) => `ceiling-${i}`);
  const start = performance.now();
  await pool(names, 64, async (name) => {
    await client.request({
      method: "POST",
      path: `/api/v1/namespaces/${ns}/configmaps`,
      body: { metadata: { name }, data: { k: "v" } },
    });
  });
  const perSecond = count / ((performance.now() - start) / 1000);
  await client.request({ method: "DELETE", path: `/api/v1/namespaces/${ns}/configmaps` });
  return perSecond;
}

function workspace(ns: string, i: number): Workspace {
  return {
    apiVersion: "kaito.sh/v1beta1",
    kind: "Workspace",
    metadata: { name: `bench-${i}`, namespace: ns },
    resource: { instanceType: "Standard_NC6s_v3", labelSelector: { matchLabels: { apps: `bench-${i}` } } },
    inference: { preset: { name: "phi-3-mini-4k-instruct" } },
  };
}

async function main() {
  const { kc, client, databaseUrl, stopDatabase } = await startBench();
  const ns = await createBenchNamespace(client, "bench-ctl");
  console.log(`namespace ${ns}: measuring the apiserver's write ceiling (${N} ConfigMap creates, 64 in flight)`);
  const ceiling = await apiserverWriteCeiling(client, ns, N);
  console.log(`apiserver ceiling: ${ceiling.toFixed(0)} creates/s`);

  const worker = await startBenchWorker({
    ns,
    databaseUrl,
    nodeArgs: CPU_PROF_DIR ? ["--cpu-prof", `--cpu-prof-dir=${path.resolve(CPU_PROF_DIR)}`] : [],
    script: VIA_TSX ? undefined : await bundleWorker(),
  });
  const pid = worker.child.pid!;
  const nodeNames = Array.from({ length: REUSE_NODES ? N : 0 }, (_, i) => `${ns}-gpu-${i}`);
  if (REUSE_NODES) {
    console.log(`creating ${N} ready GPU nodes to reuse`);
    await pool(nodeNames, CREATE_CONCURRENCY, async (name) => {
      const i = Number(name.split("-").pop());
      await client.request({
        method: "POST",
        path: "/api/v1/nodes",
        body: {
          metadata: {
            name,
            labels: { apps: `bench-${i}`, "node.kubernetes.io/instance-type": "Standard_NC6s_v3", type: "kwok" },
            annotations: { "kwok.x-k8s.io/node": "fake" },
          },
          status: {
            capacity: { "nvidia.com/gpu": "1", cpu: "6", memory: "112Gi", pods: "110" },
            allocatable: { "nvidia.com/gpu": "1", cpu: "6", memory: "112Gi", pods: "110" },
          },
        },
      });
    });
    await waitFor(
      "the GPU nodes to be Ready",
      async () => {
        const list = await client.request<{
          items: { metadata: { name: string }; status?: { conditions?: { type: string; status: string }[] } }[];
        }>({ method: "GET", path: "/api/v1/nodes" });
        const ready = list.items.filter(
          (n) =>
            nodeNames.includes(n.metadata.name) &&
            n.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True"),
        );
        return ready.length === N;
      },
      { timeoutMs: 10 * 60_000 },
    );
  }
  const baseline = writesByResource(await worker.metrics());
  const clusterWritesBefore = await clusterWrites(kc);
  const cpuBefore = clusterCpuSeconds();
  const machineBefore = machineCpuTicks();
  const workerCpuBefore = procStat(pid).cpuTicks / 100;
  const loadBefore = os.loadavg();

  console.log(`creating ${N} Workspaces (${CREATE_CONCURRENCY} in flight)`);
  const t0 = Date.now();
  await pool(
    Array.from({ length: N }, (_, i) => i),
    CREATE_CONCURRENCY,
    async (i) => {
      await client.request({
        method: "POST",
        path: `/apis/kaito.sh/v1beta1/namespaces/${ns}/workspaces`,
        body: workspace(ns, i),
      });
    },
  );
  const created = Date.now();
  console.log(`created in ${((created - t0) / 1000).toFixed(1)} s; waiting for WorkspaceSucceeded`);
  // Watched, not polled: a list of 1,000 Workspaces with their status is megabytes of JSON for
  // the apiserver, and polling it took CPU away from the run being measured. The finish time
  // comes from the apiserver's own timestamps.
  const succeeded = (w: Workspace) =>
    w.status?.conditions?.some((c) => c.type === "WorkspaceSucceeded" && c.status === "True") ?? false;
  const watched = createInformer<Workspace>({
    client,
    path: `/apis/kaito.sh/v1beta1/namespaces/${ns}/workspaces`,
    transform: (w) => ({ metadata: w.metadata, status: w.status }) as Workspace,
  });
  await watched.start();
  let lastReport = 0;
  let ready: Workspace[] | undefined;
  const deadline = Date.now() + 30 * 60_000;
  while (!ready) {
    if (Date.now() > deadline) throw new Error("Timed out waiting for every Workspace to succeed");
    await new Promise((r) => setTimeout(r, 250));
    const all = watched.list();
    const done = all.filter(succeeded);
    if (Date.now() - lastReport > 10_000) {
      lastReport = Date.now();
      console.log(`  ${done.length}/${N} succeeded after ${((Date.now() - t0) / 1000).toFixed(0)} s`);
    }
    if (done.length === N) ready = all;
  }
  watched.stop();
  const succeededAt = (w: Workspace) =>
    new Date(w.status!.conditions!.find((x) => x.type === "WorkspaceSucceeded")!.lastTransitionTime).getTime();
  // lastTransitionTime has 1 s resolution: +1 s makes this an upper bound.
  const totalS = (Math.max(...ready.map(succeededAt)) + 1000 - t0) / 1000;
  // Per-Workspace time to ready from the apiserver's own timestamps (1 s resolution).
  const toReady = ready
    .map((w) => {
      const c = w.status!.conditions!.find((x) => x.type === "WorkspaceSucceeded")!;
      return (
        (new Date(c.lastTransitionTime).getTime() -
          new Date(w.metadata.creationTimestamp as unknown as string).getTime()) /
        1000
      );
    })
    .sort((a, b) => a - b);

  const endMetrics = await worker.metrics();
  const allWrites = (await clusterWrites(kc)) - clusterWritesBefore;
  const cpuAfter = clusterCpuSeconds();
  const machineAfter = machineCpuTicks();
  const machineTotal = machineAfter.total - machineBefore.total;
  const machineBusyPct = ((machineAfter.busy - machineBefore.busy) / machineTotal) * 100;
  const machineStealPct = ((machineAfter.steal - machineBefore.steal) / machineTotal) * 100;
  const cpuUse = [
    ...[...cpuAfter].map(([name, s]) => [name, s - (cpuBefore.get(name) ?? 0)] as const),
    ["worker", procStat(pid).cpuTicks / 100 - workerCpuBefore] as const,
  ].sort((a, b) => b[1] - a[1]);
  const loadAfter = os.loadavg();
  // Where the worker's memory is at the end of the rollout (prom-client's process metrics).
  const gauge = (name: string) =>
    Number(new RegExp(`^kaito_worker_${name} (\\S+)$`, "m").exec(endMetrics)?.[1] ?? NaN) / 2 ** 20;
  console.log(
    `worker memory at the end of the rollout (MiB): rss ${gauge("process_resident_memory_bytes").toFixed(0)}, ` +
      `heap used ${gauge("nodejs_heap_size_used_bytes").toFixed(0)} of ${gauge("nodejs_heap_size_total_bytes").toFixed(0)}, ` +
      `external ${gauge("nodejs_external_memory_bytes").toFixed(0)}`,
  );
  const writes = writesByResource(endMetrics);
  const delta = new Map([...writes].map(([k, v]) => [k, v - (baseline.get(k) ?? 0)]));
  const totalWrites = [...delta.values()].reduce((a, b) => a + b, 0);
  const eventWrites = delta.get("events") ?? 0;
  const peak = procStat(pid);

  // Idle means steady state: V8's clean-up after the rollout (a full GC of a heap that held
  // 1,000 Workspaces' worth of events) is part of the rollout, so it settles for 30 s first.
  await new Promise((r) => setTimeout(r, 30_000));
  const idleStart = procStat(pid).cpuTicks;
  const idleSeconds = 60;
  await new Promise((r) => setTimeout(r, idleSeconds * 1000));
  const ticksPerSecond = 100;
  const idleCpuPct = ((procStat(pid).cpuTicks - idleStart) / ticksPerSecond / idleSeconds) * 100;
  const throughput = N / totalS;

  const byResource = [...delta]
    .filter(([, v]) => v > 0)
    .map(([k, v]) => `${k} ${(v / N).toFixed(2)}`)
    .join(", ");
  const rows = [
    ["Workspaces", String(N)],
    ["all WorkspaceSucceeded after (s)", totalS.toFixed(1)],
    ["time to ready p50 / p99 (s)", `${percentile(toReady, 50).toFixed(0)} / ${percentile(toReady, 99).toFixed(0)}`],
    [
      "apiserver writes per Workspace, all / without Events",
      `${(totalWrites / N).toFixed(2)} / ${((totalWrites - eventWrites) / N).toFixed(2)}`,
    ],
    ["writes per Workspace by resource", byResource],
    [
      "writes per Workspace by every component (apiserver's request counter)",
      `${(allWrites / N).toFixed(1)} (the worker's share ${((totalWrites / allWrites) * 100).toFixed(0)} %)`,
    ],
    [
      "machine CPU during the rollout (% of all cores): busy / stolen by the hypervisor",
      `${machineBusyPct.toFixed(0)} / ${machineStealPct.toFixed(1)}`,
    ],
    ["CPU seconds during the rollout, by process", cpuUse.map(([name, s]) => `${name} ${s.toFixed(0)}`).join(", ")],
    ["worker peak RSS (MiB)", peak.peakRssMiB.toFixed(0)],
    [`worker idle CPU afterwards (% of a core, ${idleSeconds} s after 30 s of settling)`, idleCpuPct.toFixed(2)],
    ["apiserver write ceiling (ConfigMap creates/s, 64 in flight)", ceiling.toFixed(0)],
    [
      "controller throughput (Workspaces ready/s) and as a fraction of the ceiling in writes/s",
      `${throughput.toFixed(2)}/s; ${(((throughput * totalWrites) / N / ceiling) * 100).toFixed(1)} % of the ceiling`,
    ],
  ];
  const table = ["| figure | value |", "|---|---|", ...rows.map(([k, v]) => `| ${k} | ${v} |`)].join("\n");
  console.log(table);
  if (RECORD)
    recordRun(
      "controller",
      "Controller at scale",
      `## Controller: ${N} Workspaces applied at once (${new Date().toISOString()})\n\n` +
        `${describeMachine([
          ["when the Workspaces were created", loadBefore],
          ["when the last was ready", loadAfter],
        ])}; ` +
        `the shared local cluster (etcd, kube-apiserver, controller-manager, scheduler, KWOK, GPU provisioner double) on the same machine, ` +
        `with whatever provisioner and pod-ready delays it was started with (\`PROVISIONER_DELAY_MS\`, \`KWOK_POD_READY_DELAY_MS\`), ` +
        `while other suites may run. ${REUSE_NODES ? "Mode --reuse-nodes: one ready GPU node per Workspace existed beforehand (the reuse path; no NodeClaims). " : ""}Worker: ${VIA_TSX ? "server/worker.ts via tsx" : `bundled as the package ships it (worker.mjs, with the image's MALLOC_ARENA_MAX=2, the chart's MALLOC_MMAP_THRESHOLD_=32768 and NODE_OPTIONS \`${WORKER_NODE_OPTIONS.join(" ")}\`)`}, concurrency ${process.env.WORKER_CONCURRENCY ?? "64 (its default)"}, timeline in a PostgreSQL 15 server, phase Events on. ` +
        `Command: \`node --conditions=react-server --import tsx bench/controller-scale.ts ${N}${REUSE_NODES ? " --reuse-nodes" : ""}${VIA_TSX ? " --tsx" : ""}\`.\n\n${table}\n\n` +
        `Targets (issue 4): all ready < 120 s, p99 < 90 s, ≤ 12 writes per Workspace, RSS < 250 MB, idle CPU < 1 %.\n`,
    );
  console.log("cleaning up: deleting the Workspaces (the finalizer removes their NodeClaims)");
  const tDelete = Date.now();
  // A collection delete of 1,000 Workspaces can outlive the connection (socket hang up) after
  // deleting only part of them: repeat it until one call succeeds.
  let deleteIssued = false;
  await waitFor(
    "every Workspace to be deleted",
    async () => {
      if (!deleteIssued)
        deleteIssued = await client
          .request({ method: "DELETE", path: `/apis/kaito.sh/v1beta1/namespaces/${ns}/workspaces` })
          .then(() => true)
          .catch((error: unknown) => (console.log(`  delete collection: ${String(error)}; retrying`), false));
      // Names only and not too often: a full list every 250 ms is heavy for the apiserver.
      await new Promise((r) => setTimeout(r, 2000));
      const list = await client.request<{ items: unknown[] }>({
        method: "GET",
        path: `/apis/kaito.sh/v1beta1/namespaces/${ns}/workspaces`,
        query: { limit: 1 },
      });
      return list.items.length === 0;
    },
    { timeoutMs: 30 * 60_000 },
  );
  console.log(`delete all → gone: ${((Date.now() - tDelete) / 1000).toFixed(1)} s`);
  await worker.kill();
  await stopDatabase();
  await pool(nodeNames, 8, async (name) => {
    await client.request({ method: "DELETE", path: `/api/v1/nodes/${name}` }).catch(() => undefined);
  });
  await client.request({ method: "DELETE", path: `/api/v1/namespaces/${ns}` });

  process.exit(0);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
