// The launcher behind `npm start`: the local cluster (unless KUBECONFIG points elsewhere), the
// embedded database (unless DATABASE_URL is set), the OCI registry, the model-server and GPU
// metrics doubles and a Prometheus scraping them (unless PROMETHEUS_URL is set),
// the controller worker and the web app — each a process of its own, as in production.
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import net from "node:net";
import path from "node:path";

import { isLocalKubeconfig, kubeconfigPath as localKubeconfig } from "../cluster/paths";
import { buildIfStale } from "./build-if-stale";
import { type ManagedProcess, root, startTs, stopAll, waitForHttp } from "./processes";

const dev = process.argv.includes("--dev");
const env: NodeJS.ProcessEnv = { ...process.env, NEXT_TELEMETRY_DISABLED: "1", AUTH_TRUST_HOST: "true" };
const webPort = Number(env.PORT ?? 3000);
const modelServerPort = Number(env.MODEL_SERVER_PORT ?? 8000);
const registryPort = Number(env.REGISTRY_PORT ?? 5002);
const workerPort = Number(env.WORKER_PORT ?? 9464);
const gpuMetricsPort = Number(env.GPU_METRICS_PORT ?? 9400);
const prometheusPort = Number(env.PROMETHEUS_PORT ?? 9095);
const webMetricsPort = Number(env.WEB_METRICS_PORT ?? 9465);
const distDir = env.NEXT_DIST_DIR ?? ".next";
const processes: ManagedProcess[] = [];

async function main(): Promise<void> {
  await refuseBusyPort(webPort, "PORT");
  env.AUTH_SECRET ??= persistedSecret();

  // A KUBECONFIG that names the project's own cluster (exported for kubectl, as the banner below
  // suggests) is the default setup, not another cluster: same cluster start, same static endpoint
  // mode. Otherwise chat took apiserver-proxy mode and the apiserver refused it (HTTP 403): the
  // local cluster's pods are KWOK's, with no network behind them; the model-server double answers
  // for them in static mode only.
  if (isLocalKubeconfig(env.KUBECONFIG)) {
    console.log(
      "▸ Local Kubernetes cluster (npm run cluster:up; the first run builds it from source, several minutes) …",
    );
    const up = spawnSync("npm", ["run", "--silent", "cluster:up"], { cwd: root, stdio: "inherit", env });
    if (up.status !== 0)
      throw new Error("the local cluster did not start (output above); or set KUBECONFIG to use another cluster");
    env.KUBECONFIG = localKubeconfig;
    env.INFERENCE_ENDPOINT_MODE ??= "static";
    env.INFERENCE_STATIC_URL_TEMPLATE ??= `http://127.0.0.1:${modelServerPort}/ws/{namespace}/{name}`;
  }

  if (!env.DATABASE_URL) {
    console.log("▸ Embedded PostgreSQL (PGlite) in .data/db …");
    const db = track(startTs("embedded-db", "dev/db/serve-embedded-db.ts", env));
    await waitForPort(Number(env.EMBEDDED_DB_PORT ?? 5499), db, 60_000);
  }

  if (!env.ADAPTER_REGISTRY_URL) {
    console.log(`▸ OCI registry for adapters on 127.0.0.1:${registryPort} …`);
    const registry = track(startTs("registry", "dev/registry/cli.ts", env));
    await waitForHttp(`http://127.0.0.1:${registryPort}/v2/`, registry, 30_000);
    env.ADAPTER_REGISTRY_URL = `http://127.0.0.1:${registryPort}`;
  }

  if (env.INFERENCE_ENDPOINT_MODE === "static") {
    console.log(`▸ Model-server double (vLLM API) on 127.0.0.1:${modelServerPort} …`);
    const models = track(startTs("model-server", "dev/model-server/main.ts", env));
    await waitForHttp(`http://127.0.0.1:${modelServerPort}/health`, models, 30_000);

    console.log(`▸ GPU metrics double (dcgm-exporter's series) on 127.0.0.1:${gpuMetricsPort} …`);
    const gpus = track(
      startTs("gpu-metrics", "dev/gpu-metrics/main.ts", {
        ...env,
        GPU_METRICS_PORT: String(gpuMetricsPort),
        GPU_METRICS_MODEL_SERVER_URL: `http://127.0.0.1:${modelServerPort}`,
      }),
    );
    await waitForHttp(`http://127.0.0.1:${gpuMetricsPort}/health`, gpus, 30_000);

    // The doubles' metrics are for a Prometheus of our own; a cluster of one's own has its own.
    if (!env.PROMETHEUS_URL) {
      console.log(`▸ Prometheus on 127.0.0.1:${prometheusPort} (retention 1 d, .data/prometheus) …`);
      const prometheus = track(
        startTs("prometheus", "dev/prometheus/main.ts", {
          ...env,
          PROMETHEUS_PORT: String(prometheusPort),
          PROMETHEUS_MODEL_SERVER_TARGET: `127.0.0.1:${modelServerPort}`,
          PROMETHEUS_GPU_METRICS_TARGET: `127.0.0.1:${gpuMetricsPort}`,
          PROMETHEUS_WORKER_TARGET: `127.0.0.1:${workerPort}`,
          PROMETHEUS_WEB_TARGET: `127.0.0.1:${webMetricsPort}`,
        }),
      );
      await waitForHttp(`http://127.0.0.1:${prometheusPort}/-/ready`, prometheus, 60_000);
      env.PROMETHEUS_URL = `http://127.0.0.1:${prometheusPort}`;
    }
  }

  console.log(`▸ Controller worker (metrics and health on 127.0.0.1:${workerPort}) …`);
  const worker = track(startTs("worker", "server/worker.ts", env));
  await waitForHttp(`http://127.0.0.1:${workerPort}/healthz`, worker, 60_000);

  if (!dev) buildIfStale(distDir);
  console.log(`▸ Web app on port ${webPort} …`);
  const web = track(
    startTs(
      "web",
      "server/web-server.ts",
      {
        ...env,
        NODE_ENV: dev ? "development" : "production",
        NEXT_DIST_DIR: distDir,
        PORT: String(webPort),
        WEB_METRICS_PORT: String(webMetricsPort),
      },
      { echo: true },
    ),
  );
  await waitForHttp(`http://127.0.0.1:${webPort}/login`, web, 120_000);

  console.log(`
  kaito-dashboard is running: http://localhost:${webPort}
  First login: the admin account printed above on its first start (or ADMIN_EMAIL / ADMIN_PASSWORD).
  Logs: .data/logs/   Cluster: KUBECONFIG=${env.KUBECONFIG} kubectl get wk -A
  Metrics: ${env.PROMETHEUS_URL ?? "no Prometheus (set PROMETHEUS_URL)"}
  Ctrl-C stops the app; the local cluster keeps running for the next start (npm run cluster:down stops it).
`);

  for (const proc of processes) {
    proc.child.once("exit", (code, signal) => {
      if (shuttingDown) return;
      console.error(`✗ ${proc.name} stopped (${code ?? signal}); see ${proc.logFile}. Stopping the rest.`);
      void shutdown(1);
    });
  }
}

function track(proc: ManagedProcess): ManagedProcess {
  processes.push(proc);
  return proc;
}

/** AUTH_SECRET signs sessions; a generated one is kept so that restarts keep users signed in. */
function persistedSecret(): string {
  const file = path.join(root, env.AUTH_SECRET_FILE ?? ".data/auth-secret");
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  mkdirSync(path.dirname(file), { recursive: true });
  const secret = randomBytes(33).toString("base64");
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

function refuseBusyPort(port: number, variable: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", () =>
      reject(new Error(`port ${port} is already in use: stop what uses it or set ${variable}`)),
    );
    probe.listen(port, "0.0.0.0", () => probe.close(() => resolve()));
  });
}

async function waitForPort(port: number, proc: ManagedProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (proc.child.exitCode !== null)
      throw new Error(`${proc.name} exited with ${proc.child.exitCode}; see ${proc.logFile}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, "127.0.0.1", () => socket.end(() => resolve(true)));
      socket.once("error", () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${proc.name} did not listen on ${port} within ${timeoutMs / 1000} s; see ${proc.logFile}`);
}

let shuttingDown = false;
async function shutdown(code: number): Promise<never> {
  shuttingDown = true;
  await stopAll(processes);
  process.exit(code);
}

for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => void shutdown(0));

main().catch(async (error: unknown) => {
  console.error(`✗ npm start: ${error instanceof Error ? error.message : String(error)}`);
  await shutdown(1);
});
