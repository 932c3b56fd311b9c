// What the controller benchmarks share: their command line and start (an admin client, a real
// PostgreSQL server, a namespace), the worker bundled and run as the package ships it, the
// figures read from it (its own apiserver write counter, its CPU time and peak RSS), and the
// machine line of a recorded run.
import { readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

import type { KubeConfig } from "@kubernetes/client-node";
import { build } from "esbuild";
import { parse } from "yaml";

import { createKubeClient, isAlreadyExists, type KubeClient } from "@/server/kube/kube-client";
import { loadKubeConfig } from "@/server/kube/kubeconfig";

import { startWorker, uniqueName, type WorkerProcess } from "../tests/integration/controller-harness";
import { startTestPostgres } from "../tests/support/postgres";

/** Objects created at once by a controller benchmark's own client. */
export const CREATE_CONCURRENCY = 32;

/**
 * A controller benchmark's command line, `[N] [--no-record] [its own flags]`: N is the first
 * argument that is not a flag (`defaultN` without one); --no-record prints the figures only
 * (iteration runs) and leaves docs/benchmarks.md alone.
 */
export function benchArgs(defaultN: number): { N: number; record: boolean } {
  const args = process.argv.slice(2);
  const given = args.find((a) => !a.startsWith("--"));
  const N = given === undefined ? defaultN : Number(given);
  if (!Number.isInteger(N) || N < 1) throw new Error(`N must be a whole number of at least 1, not "${given}"`);
  return { N, record: !args.includes("--no-record") };
}

/**
 * What a controller benchmark starts from: an admin client of the local cluster, and a real
 * PostgreSQL server for the worker's timeline, as in production (the worker's RSS is then its own,
 * not an embedded database's). `stopDatabase` gives the server at most 10 s: the figures are
 * written by then, and a slow shutdown must not hold the run.
 */
export async function startBench(): Promise<{
  kc: KubeConfig;
  client: KubeClient;
  databaseUrl: string;
  stopDatabase: () => Promise<void>;
}> {
  const { kc } = loadKubeConfig();
  const client = await createKubeClient(kc);
  const postgres = await startTestPostgres();
  return {
    kc,
    client,
    databaseUrl: postgres.url,
    stopDatabase: () => Promise.race([postgres.stop(), new Promise<void>((r) => setTimeout(r, 10_000))]),
  };
}

/** A new namespace for one run (`prefix` and a random suffix). */
export async function createBenchNamespace(client: KubeClient, prefix: string): Promise<string> {
  const ns = uniqueName(prefix);
  await client.request({ method: "POST", path: "/api/v1/namespaces", body: { metadata: { name: ns } } }).catch((e) => {
    if (!isAlreadyExists(e)) throw e;
  });
  return ns;
}

/**
 * The start of a recorded run's machine line: cores, memory, Node, and each load average in
 * `loads` (when it was taken, os.loadavg() then).
 */
export function describeMachine(loads: [when: string, load: number[]][]): string {
  const cpus = os.cpus();
  return (
    `Machine: ${cpus.length} × ${cpus[0]?.model.trim()}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ` +
    `Node ${process.version}; load average ${loads.map(([when, load]) => `${load.map((l) => l.toFixed(2)).join(", ")} ${when}`).join(", ")}`
  );
}

export async function pool<T>(items: T[], concurrency: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) await fn(items[next++]);
    }),
  );
}

export function procStat(pid: number): { cpuTicks: number; peakRssMiB: number; rssMiB: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { cpuTicks: Number(stat[11]) + Number(stat[12]), peakRssMiB: kb("VmHWM") / 1024, rssMiB: kb("VmRSS") / 1024 };
}

/** Writes the worker made, from its Prometheus counter, by resource. */
export function writesByResource(metrics: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const m of metrics.matchAll(
    /kaito_controller_apiserver_requests_total\{verb="(\w+)",resource="([^"]+)",code="\d+"\} (\d+)/g,
  )) {
    if (!["POST", "PUT", "PATCH", "DELETE"].includes(m[1])) continue;
    out.set(m[2], (out.get(m[2]) ?? 0) + Number(m[3]));
  }
  return out;
}

/** The chart's worker.nodeOptions: the flags the shipped worker runs with. */
export const WORKER_NODE_OPTIONS: string[] =
  (
    parse(readFileSync("charts/kaito-dashboard/values.yaml", "utf8")) as { worker: { nodeOptions?: string } }
  ).worker.nodeOptions
    ?.split(" ")
    .filter(Boolean) ?? [];

/**
 * The worker as dev/package/build-package.ts bundles it into worker.mjs (same esbuild options),
 * written under .data/ so that its external packages resolve from the repository's node_modules.
 */
export async function bundleWorker(): Promise<string> {
  const outfile = path.resolve(".data/bench-worker/worker.mjs");
  await build({
    entryPoints: [path.resolve("server/worker.ts")],
    outfile,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    conditions: ["react-server"],
    external: ["@electric-sql/pglite", "@prisma/schema-engine-wasm"],
    plugins: [
      {
        name: "server-only-is-empty",
        setup(b) {
          b.onResolve({ filter: /^server-only$/ }, () => ({ path: "server-only", namespace: "empty" }));
          b.onLoad({ filter: /.*/, namespace: "empty" }, () => ({ contents: "", loader: "js" }));
        },
      },
    ],
    banner: {
      js: `import { createRequire as __kdCreateRequire } from "node:module";\nconst require = __kdCreateRequire(import.meta.url);\nprocess.env.NODE_ENV ??= "production";`,
    },
    tsconfig: path.resolve("tsconfig.json"),
    logLevel: "warning",
  });
  return outfile;
}

/**
 * The worker as production runs it, on namespace `ns` only, without leader election, its timeline
 * in `databaseUrl`: the image's and the chart's environment and node flags, plus
 * BENCH_WORKER_ENV="NAME=value …" and BENCH_WORKER_NODE_ARGS for trying other settings.
 * `script`: a bundle from bundleWorker(); without it, server/worker.ts through tsx.
 */
export function startBenchWorker(input: {
  ns: string;
  databaseUrl: string;
  script?: string;
  nodeArgs?: string[];
}): Promise<WorkerProcess> {
  return startWorker(
    {
      KUBECONFIG: process.env.KUBECONFIG ?? path.resolve(".data/cluster/kubeconfig"),
      CONTROLLER_NAMESPACE: input.ns,
      LEADER_ELECTION: "false",
      LOG_LEVEL: "warn",
      CONTROLLER_TIMELINE: "database",
      DATABASE_URL: input.databaseUrl,
      // The environment of the image (Dockerfile) and of the chart's worker container.
      MALLOC_ARENA_MAX: "2",
      MALLOC_MMAP_THRESHOLD_: "32768",
      NODE_ENV: "production",
      ...Object.fromEntries(
        (process.env.BENCH_WORKER_ENV ?? "")
          .split(" ")
          .filter(Boolean)
          .map((pair) => [pair.slice(0, pair.indexOf("=")), pair.slice(pair.indexOf("=") + 1)]),
      ),
    },
    {
      nodeArgs: [
        ...WORKER_NODE_OPTIONS,
        ...(process.env.BENCH_WORKER_NODE_ARGS?.split(" ").filter(Boolean) ?? []),
        ...(input.nodeArgs ?? []),
      ],
      script: input.script,
    },
  );
}
