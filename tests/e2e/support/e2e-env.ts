import path from "node:path";

// localhost, not 127.0.0.1: next-auth builds the OIDC redirect URI from the host name it sees.
// Shared between playwright.config.ts, the stack launcher and the specs.
export const E2E_PORT = Number(process.env.E2E_PORT ?? 3100);
export const E2E_BASE_URL = process.env.E2E_BASE_URL ?? `http://localhost:${E2E_PORT}`;
export const E2E_DIST_DIR = process.env.E2E_DIST_DIR ?? ".next-e2e";
export const E2E_ADMIN = {
  email: process.env.E2E_ADMIN_EMAIL ?? "admin@e2e.test",
  password: process.env.E2E_ADMIN_PASSWORD ?? "e2e-admin-password-1",
};
export const E2E_OIDC_PORT = Number(process.env.E2E_OIDC_PORT ?? 3101);
export const E2E_MODEL_SERVER_PORT = Number(process.env.E2E_MODEL_SERVER_PORT ?? 3102);
export const E2E_DB_PORT = Number(process.env.E2E_DB_PORT ?? 3103);
export const E2E_WORKER_PORT = Number(process.env.E2E_WORKER_PORT ?? 3104);
export const E2E_GPU_METRICS_PORT = Number(process.env.E2E_GPU_METRICS_PORT ?? 3105);
export const E2E_PROMETHEUS_PORT = Number(process.env.E2E_PROMETHEUS_PORT ?? 3106);
export const E2E_WEB_METRICS_PORT = Number(process.env.E2E_WEB_METRICS_PORT ?? 3107);
/** The one namespace the e2e worker reconciles; other specs set status by hand elsewhere. */
export const E2E_NAMESPACE = process.env.E2E_NAMESPACE ?? "e2e-workspaces";
export const E2E_KUBECONFIG = process.env.KUBECONFIG ?? path.resolve(".data/cluster/kubeconfig");
/** CI gives the suite a PostgreSQL database of its own; otherwise an embedded one served on E2E_DB_PORT. */
export const E2E_DATABASE_URL =
  process.env.E2E_DATABASE_URL ?? `postgresql://postgres@127.0.0.1:${E2E_DB_PORT}/postgres`;

// Debian's Chromium (apt-get install chromium); Playwright's own browser download is unreachable here.
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
