// Playwright's web server: the production build (rebuilt only when sources changed) served by
// the same custom server `npm start` uses, on a fresh embedded database with a known admin.
import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { buildIfStale } from "../../../dev/launch/build-if-stale";

import { E2E_ADMIN, E2E_BASE_URL, E2E_DIST_DIR, E2E_OIDC_PORT, E2E_PORT } from "./e2e-env";
import { OIDC_CLIENT, startOidcProvider } from "./oidc-provider";

process.env.NEXT_TELEMETRY_DISABLED = "1";
// E2E_SKIP_BUILD=1 reuses the last build as it is (e.g. when a build was just made by the caller).
if (process.env.E2E_SKIP_BUILD !== "1") buildIfStale(E2E_DIST_DIR);
const oidc = await startOidcProvider(E2E_OIDC_PORT, `${E2E_BASE_URL}/api/auth/callback/oidc`);

const env: NodeJS.ProcessEnv = {
  ...process.env,
  NODE_ENV: "production",
  NEXT_DIST_DIR: E2E_DIST_DIR,
  PORT: String(E2E_PORT),
  AUTH_TRUST_HOST: "true",
  // The OIDC redirect URI must match the one registered at the provider exactly.
  AUTH_URL: `${E2E_BASE_URL}/api/auth`,
  AUTH_SECRET: process.env.AUTH_SECRET ?? "e2e-secret-0123456789abcdefghijklmnop",
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
  // A database of its own per run unless the caller points at one (CI: DATABASE_URL).
  PGLITE_DIR: process.env.PGLITE_DIR ?? path.join(mkdtempSync(path.join(tmpdir(), "kd-e2e-")), "db"),
};
const web = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", "server/web-server.ts"], {
  env,
  stdio: "inherit",
});
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => web.kill(signal));
web.on("exit", (code) => void oidc.close().finally(() => process.exit(code ?? 1)));
