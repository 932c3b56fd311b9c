// localhost, not 127.0.0.1: next-auth builds the OIDC redirect URI from the host name it sees.
// Shared between playwright.config.ts, the web-server launcher and the specs.
export const E2E_PORT = Number(process.env.E2E_PORT ?? 3100);
export const E2E_BASE_URL = process.env.E2E_BASE_URL ?? `http://localhost:${E2E_PORT}`;
export const E2E_DIST_DIR = process.env.E2E_DIST_DIR ?? ".next-e2e";
export const E2E_ADMIN = {
  email: process.env.E2E_ADMIN_EMAIL ?? "admin@e2e.test",
  password: process.env.E2E_ADMIN_PASSWORD ?? "e2e-admin-password-1",
};
export const E2E_OIDC_PORT = Number(process.env.E2E_OIDC_PORT ?? 3101);
