// `npm run bench:<name> [-- args]`: like `npm test`, installs what the benchmark needs (npm
// dependencies, Debian packages, the local cluster) or names what it cannot provide, then runs it.
// A cluster this launcher started is stopped again at the end.
import { spawnSync } from "node:child_process";

import { ensureDependencies, ensureSystemPackages, root, run, step } from "./lib/ensure-deps.mjs";

process.env.NEXT_TELEMETRY_DISABLED = "1";
process.env.PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD = "1";

const POSTGRES = { postgresql: `${process.env.POSTGRES_BIN_DIR ?? "/usr/lib/postgresql/15/bin"}/initdb` };

/**
 * What each benchmark needs. `cluster`: it runs on the local cluster, started with these
 * environment variables when none runs yet. `requires`: what it measures but cannot start itself.
 */
const BENCHMARKS = {
  controller: {
    file: "bench/controller-scale.ts",
    packages: POSTGRES,
    // The controller's own pace, not the provisioner double's and KWOK's simulated delays.
    cluster: { PROVISIONER_DELAY_MS: "0", KWOK_POD_READY_DELAY_MS: "0" },
  },
  inferenceset: {
    file: "bench/inferenceset-scale.ts",
    packages: POSTGRES,
    cluster: { PROVISIONER_DELAY_MS: "0", KWOK_POD_READY_DELAY_MS: "0" },
  },
  // The local cluster answers the proxy's per-user access check (the "+ access check" row).
  inference: { file: "bench/inference-proxy.ts", packages: { nginx: "/usr/sbin/nginx" }, cluster: {} },
  adapters: {
    file: "bench/adapter-upload.ts",
    packages: { "docker-registry": "/usr/bin/docker-registry", "busybox-static": "/bin/busybox" },
  },
  audit: { file: "bench/audit-trail.ts", packages: process.env.DATABASE_URL ? {} : POSTGRES },
  authorization: { file: "bench/authorization.ts", packages: {}, requires: requireRunningProduct },
  metrics: { file: "bench/metrics-queries.ts", packages: { prometheus: "/usr/bin/prometheus" } },
  workspaces: {
    file: "bench/workspace-list.ts",
    packages: { chromium: "/usr/bin/chromium" },
    requires: requireRunningProduct,
  },
};

/** bench/workspace-list.ts measures the product as `npm start` runs it, signed in as an admin. */
async function requireRunningProduct() {
  const base = process.env.BENCH_BASE_URL ?? "http://127.0.0.1:3000";
  const reachable = await fetch(`${base}/api/healthz`, { signal: AbortSignal.timeout(5_000) })
    .then((response) => response.ok)
    .catch(() => false);
  if (!reachable)
    throw new Error(
      `no kaito-dashboard answers at ${base}: start it first (npm start, or set BENCH_BASE_URL to a running one)`,
    );
  if (!process.env.BENCH_PASSWORD)
    throw new Error("set BENCH_EMAIL and BENCH_PASSWORD to an admin's sign-in (npm start prints the first admin's)");
}

function clusterRuns() {
  return spawnSync("npm", ["run", "--silent", "cluster:status"], { cwd: root, stdio: "ignore" }).status === 0;
}

const [name, ...args] = process.argv.slice(2);
const benchmark = BENCHMARKS[name];
if (!benchmark) {
  console.error(`usage: node dev/bench.mjs <${Object.keys(BENCHMARKS).join("|")}> [args]`);
  process.exit(2);
}

let startedCluster = false;
let status = 1;
try {
  ensureSystemPackages(benchmark.packages);
  ensureDependencies();
  await benchmark.requires?.();
  // KUBECONFIG names the cluster to measure on; otherwise the local one, started when needed.
  if (benchmark.cluster && !process.env.KUBECONFIG && !clusterRuns()) {
    step("Starting the local cluster for the benchmark (stopped again afterwards) …");
    run("npm", ["run", "--silent", "cluster:up"], { env: benchmark.cluster });
    startedCluster = true;
  }
  step(`Benchmark: ${benchmark.file} ${args.join(" ")}`);
  status =
    spawnSync(process.execPath, ["--conditions=react-server", "--import", "tsx", benchmark.file, ...args], {
      cwd: root,
      stdio: "inherit",
    }).status ?? 1;
} catch (error) {
  console.error(`bench:${name}: ${error.message}`);
} finally {
  if (startedCluster) {
    step("Stopping the local cluster this run started …");
    spawnSync("npm", ["run", "--silent", "cluster:down"], { cwd: root, stdio: "inherit" });
  }
}
process.exit(status);
