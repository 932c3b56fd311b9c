// Playwright's web server: the whole product as `npm start` runs it — the local cluster, a
// database of the suite's own, the model-server and GPU metrics doubles, a Prometheus scraping
// them, the worker and the production build
// served by the custom web server — with a known admin and a real OIDC provider.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { buildIfStale } from "../../../dev/launch/build-if-stale";
import { waitForPort } from "../../../dev/lib/ports";

import {
  E2E_ADMIN,
  E2E_BASE_URL,
  E2E_DB_PORT,
  E2E_DIST_DIR,
  E2E_GPU_METRICS_PORT,
  E2E_KUBECONFIG,
  E2E_MODEL_SERVER_PORT,
  E2E_NAMESPACE,
  E2E_OIDC_PORT,
  E2E_PORT,
  E2E_PROMETHEUS_PORT,
  E2E_WEB_METRICS_PORT,
  E2E_WORKER_PORT,
} from "./e2e-env";
import { OIDC_CLIENT, startOidcProvider } from "./oidc-provider";

process.env.NEXT_TELEMETRY_DISABLED = "1";
const children: ChildProcess[] = [];

function start(name: string, entry: string, env: NodeJS.ProcessEnv): ChildProcess {
  const child = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", entry], {
    env,
    stdio: "inherit",
  });
  child.on("exit", (code, signal) => {
    if (!stopping) console.error(`e2e stack: ${name} exited (${code ?? signal})`);
  });
  children.push(child);
  return child;
}

const up = spawnSync("npm", ["run", "--silent", "cluster:up"], { stdio: "inherit" });
if (up.status !== 0) throw new Error("e2e stack: the local cluster did not start");
buildIfStale(E2E_DIST_DIR);
const oidc = await startOidcProvider(E2E_OIDC_PORT, `${E2E_BASE_URL}/api/auth/callback/oidc`);

const base: NodeJS.ProcessEnv = {
  ...process.env,
  KUBECONFIG: E2E_KUBECONFIG,
  AUTH_SECRET: process.env.AUTH_SECRET ?? "e2e-secret-0123456789abcdefghijklmnop",
  INFERENCE_ENDPOINT_MODE: "static",
  INFERENCE_STATIC_URL_TEMPLATE: `http://127.0.0.1:${E2E_MODEL_SERVER_PORT}/ws/{namespace}/{name}`,
};
if (process.env.E2E_DATABASE_URL && !process.env.E2E_DATABASE_EMBEDDED) {
  base.DATABASE_URL = process.env.E2E_DATABASE_URL;
} else {
  // The web app and the worker both need the database: one owner serves it to both.
  delete base.DATABASE_URL;
  base.PGLITE_DIR = path.join(mkdtempSync(path.join(tmpdir(), "kd-e2e-")), "db");
  base.EMBEDDED_DB_PORT = String(E2E_DB_PORT);
  start("embedded database", "dev/db/serve-embedded-db.ts", base);
  await waitForPort(E2E_DB_PORT, "e2e stack: the embedded database");
}

start("model-server double", "dev/model-server/main.ts", { ...base, MODEL_SERVER_PORT: String(E2E_MODEL_SERVER_PORT) });
start("GPU metrics double", "dev/gpu-metrics/main.ts", {
  ...base,
  GPU_METRICS_PORT: String(E2E_GPU_METRICS_PORT),
  GPU_METRICS_MODEL_SERVER_URL: `http://127.0.0.1:${E2E_MODEL_SERVER_PORT}`,
});
start("prometheus", "dev/prometheus/main.ts", {
  ...base,
  PROMETHEUS_PORT: String(E2E_PROMETHEUS_PORT),
  PROMETHEUS_DIR: path.join(mkdtempSync(path.join(tmpdir(), "kd-e2e-prometheus-")), "prometheus"),
  PROMETHEUS_SCRAPE_INTERVAL: "2s",
  PROMETHEUS_MODEL_SERVER_TARGET: `127.0.0.1:${E2E_MODEL_SERVER_PORT}`,
  PROMETHEUS_GPU_METRICS_TARGET: `127.0.0.1:${E2E_GPU_METRICS_PORT}`,
  PROMETHEUS_WORKER_TARGET: `127.0.0.1:${E2E_WORKER_PORT}`,
  PROMETHEUS_WEB_TARGET: `127.0.0.1:${E2E_WEB_METRICS_PORT}`,
});
await waitForPort(E2E_PROMETHEUS_PORT, "e2e stack: Prometheus");
spawnSync("kubectl", ["create", "namespace", E2E_NAMESPACE], { env: base, stdio: "ignore" });
start("worker", "server/worker.ts", {
  ...base,
  WORKER_PORT: String(E2E_WORKER_PORT),
  CONTROLLER_NAMESPACE: E2E_NAMESPACE,
  LEADER_ELECTION_LEASE_NAME: "kaito-dashboard-e2e-worker",
});
start("web", "server/web-server.ts", {
  ...base,
  NODE_ENV: "production",
  NEXT_DIST_DIR: E2E_DIST_DIR,
  PORT: String(E2E_PORT),
  PROMETHEUS_URL: `http://127.0.0.1:${E2E_PROMETHEUS_PORT}`,
  WEB_METRICS_PORT: String(E2E_WEB_METRICS_PORT),
  AUTH_TRUST_HOST: "true",
  // The OIDC redirect URI must match the one registered at the provider exactly.
  AUTH_URL: `${E2E_BASE_URL}/api/auth`,
  ADMIN_EMAIL: E2E_ADMIN.email,
  ADMIN_PASSWORD: E2E_ADMIN.password,
  OIDC_ISSUER: oidc.issuer,
  OIDC_CLIENT_ID: OIDC_CLIENT.id,
  OIDC_CLIENT_SECRET: OIDC_CLIENT.secret,
  OIDC_SCOPES: "openid email profile groups",
  OIDC_ADMIN_VALUES: "platform-admins",
  OIDC_OPERATOR_VALUES: "ml-engineers",
  OIDC_VIEWER_VALUES: "readers",
  OIDC_DEFAULT_ROLE: "none",
});

let stopping = false;
function stop(code: number): void {
  stopping = true;
  for (const child of children.reverse()) child.kill("SIGTERM");
  void oidc.close().finally(() => process.exit(code));
}
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => stop(0));
children.at(-1)!.on("exit", (code) => stop(code ?? 1));
