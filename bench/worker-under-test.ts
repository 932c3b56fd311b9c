// What the controller benchmarks share: the worker bundled and run as the package ships it, and
// the figures read from it (its own apiserver write counter, its CPU time and peak RSS).
import { readFileSync } from "node:fs";
import path from "node:path";

import { build } from "esbuild";
import { parse } from "yaml";

import { startWorker, type WorkerProcess } from "../tests/integration/controller-harness";

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
