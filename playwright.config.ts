import { defineConfig } from "@playwright/test";

import {
  CHROMIUM_ARGS,
  E2E_BASE_URL,
  E2E_DATABASE_URL,
  E2E_KUBECONFIG,
  E2E_MODEL_SERVER_PORT,
  E2E_NAMESPACE,
} from "./tests/e2e/support/e2e-env";

// The specs (in worker processes that inherit this environment) reach the same stack.
if (!process.env.E2E_DATABASE_URL) {
  process.env.E2E_DATABASE_URL = E2E_DATABASE_URL;
  process.env.E2E_DATABASE_EMBEDDED = "1";
}
process.env.E2E_MODEL_SERVER_URL ??= `http://127.0.0.1:${E2E_MODEL_SERVER_PORT}`;
process.env.E2E_NAMESPACE ??= E2E_NAMESPACE;
process.env.KUBECONFIG ??= E2E_KUBECONFIG;

export default defineConfig({
  testDir: "tests/e2e",
  testMatch: "**/*.spec.ts",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: process.env.CI ? "list" : [["list"]],
  use: {
    baseURL: E2E_BASE_URL,
    browserName: "chromium",
    launchOptions: { executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", args: CHROMIUM_ARGS },
    trace: "retain-on-failure",
    acceptDownloads: true,
  },
  // Set E2E_BASE_URL to run the specs against an app that is already up (e.g. `npm start`).
  webServer: process.env.E2E_BASE_URL
    ? undefined
    : {
        command: "node --conditions=react-server --import tsx tests/e2e/support/start-web.ts",
        url: `${E2E_BASE_URL}/login`,
        timeout: 900_000,
        reuseExistingServer: false,
        stdout: "pipe",
        stderr: "pipe",
      },
});
