// axe-core on every page of the app, in light and in dark: no serious or critical violation.
// The pages are read from app/**/page.tsx, so a new page is checked without anyone adding it
// here; a dynamic route needs an example URL below, and the test says so when one is missing.
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";

import { expect, test, type Page } from "@playwright/test";
import type { AxeResults, ImpactValue } from "axe-core";
import pg from "pg";

import { pageRoutes } from "./support/page-routes";
import { signIn } from "./support/sign-in";

const ROOT = path.resolve(import.meta.dirname, "../..");
const SCREENSHOTS = path.join(ROOT, "docs/screenshots");
const KUBECONFIG = process.env.KUBECONFIG ?? path.join(ROOT, ".data/cluster/kubeconfig");
const DATABASE_URL =
  process.env.E2E_DATABASE_URL ?? process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5499/postgres";
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
const FAILING: readonly ImpactValue[] = ["serious", "critical"];
const THEMES = ["light", "dark"] as const;

// Fixtures of this file's own: a namespace the e2e worker does not reconcile (statuses are set by
// hand, as no GPU node ever comes up here) and an adapter row.
const run = randomBytes(3).toString("hex");
const NAMESPACE = `e2e-a11y-${run}`;
const READY = "a11y-ready";
const PENDING = "a11y-pending";
const ADAPTER = `a11y-lora-${run}`;
const INFERENCESET = "a11y-set";
// The signed-in browser state the pages are visited with; beforeAll signs in and fills it.
const STATE_FILE = path.join(tmpdir(), `kd-a11y-${run}.json`);
writeFileSync(STATE_FILE, JSON.stringify({ cookies: [], origins: [] }));

/** The URLs that stand for a dynamic route; each one is checked. */
const EXAMPLES: Record<string, string[]> = {
  "/workspaces/[namespace]/[name]": [`/workspaces/${NAMESPACE}/${READY}`, `/workspaces/${NAMESPACE}/${PENDING}`],
  "/workspaces/[namespace]/[name]/edit": [`/workspaces/${NAMESPACE}/${PENDING}/edit`],
  "/adapters/[name]": [`/adapters/${ADAPTER}`],
  "/inferencesets/[namespace]/[name]": [`/inferencesets/${NAMESPACE}/${INFERENCESET}`],
};
/** Pages a signed-out visitor sees. */
const PUBLIC = new Set(["/login"]);

function urlsFor(route: string): string[] {
  if (!route.includes("[")) return [route];
  const urls = EXAMPLES[route];
  if (!urls) throw new Error(`${route} has no example URL: add one to EXAMPLES in tests/e2e/accessibility.spec.ts`);
  return urls;
}

function kubectl(args: string[], input?: string): string {
  const result = spawnSync("kubectl", args, { input, encoding: "utf8", env: { ...process.env, KUBECONFIG } });
  if (result.status !== 0) throw new Error(`kubectl ${args.join(" ")}: ${result.stderr}`);
  return result.stdout;
}

const isoSecondsAgo = (seconds: number) => new Date(Date.now() - seconds * 1000).toISOString().replace(/\.\d+Z$/, "Z");

function createWorkspace(name: string, conditions: object[]) {
  kubectl(
    ["apply", "-f", "-"],
    JSON.stringify({
      apiVersion: "kaito.sh/v1beta1",
      kind: "Workspace",
      metadata: { name, namespace: NAMESPACE },
      resource: { instanceType: "Standard_NC24ads_A100_v4", labelSelector: { matchLabels: { apps: name } } },
      inference: { preset: { name: "phi-3-mini-4k-instruct" } },
    }),
  );
  kubectl([
    "patch",
    "workspace",
    name,
    "-n",
    NAMESPACE,
    "--subresource=status",
    "--type=merge",
    "-p",
    JSON.stringify({ status: { conditions } }),
  ]);
}

/** Enough events that the events list scrolls, as it does on a workspace that has been stuck a while. */
function createEvents(name: string) {
  const items = Array.from({ length: 24 }, (_, i) => ({
    apiVersion: "v1",
    kind: "Event",
    metadata: { name: `${name}.${run}${i}`, namespace: NAMESPACE },
    involvedObject: { apiVersion: "kaito.sh/v1beta1", kind: "Workspace", name, namespace: NAMESPACE },
    reason: i % 3 === 0 ? "FailedScheduling" : "NodeClaimCreated",
    message:
      i % 3 === 0
        ? "0/3 nodes are available: 3 node(s) didn't match Pod's node affinity/selector."
        : `created NodeClaim ws${run}${i} for instance type Standard_NC24ads_A100_v4`,
    type: i % 3 === 0 ? "Warning" : "Normal",
    count: 1,
    firstTimestamp: isoSecondsAgo(600 - i * 20),
    lastTimestamp: isoSecondsAgo(600 - i * 20),
    source: { component: "kaito-dashboard" },
  }));
  kubectl(["apply", "-f", "-"], JSON.stringify({ apiVersion: "v1", kind: "List", items }));
}

test.beforeAll(async ({ browser }) => {
  test.setTimeout(120_000);
  kubectl(["create", "namespace", NAMESPACE]);
  const condition = (type: string, status: string, reason: string, message: string) => ({
    type,
    status,
    reason,
    message,
    lastTransitionTime: isoSecondsAgo(300),
  });
  createWorkspace(READY, [
    condition("ResourceReady", "True", "workspaceResourceStatusSuccess", "workspace resource is ready"),
    condition("InferenceReady", "True", "WorkspaceInferenceStatusSuccess", "Inference has been deployed successfully"),
    condition("WorkspaceSucceeded", "True", "workspaceSucceeded", "workspace succeeds"),
  ]);
  createWorkspace(PENDING, [
    condition("NodeClaimReady", "False", "NodeClaimNotReady", "Ready NodeClaims are not enough"),
    condition("ResourceReady", "False", "NodeClaimNotReady", "Ready NodeClaims are not enough"),
    condition("WorkspaceSucceeded", "False", "workspacePending", "workspace is pending"),
  ]);
  createEvents(PENDING);
  kubectl(
    ["apply", "-f", "-"],
    JSON.stringify({
      apiVersion: "kaito.sh/v1beta1",
      kind: "InferenceSet",
      metadata: { name: INFERENCESET, namespace: NAMESPACE },
      spec: {
        replicas: 2,
        labelSelector: { matchLabels: { apps: INFERENCESET } },
        template: { resource: { instanceType: "Standard_NC24ads_A100_v4" }, inference: { preset: { name: "phi-4" } } },
      },
    }),
  );

  const db = new pg.Client({ connectionString: DATABASE_URL });
  await db.connect();
  await db.query(
    `INSERT INTO "Adapter" (id, name, "baseModel", repository, tag, digest, "sizeBytes", config, files, "tensorCount", "parameterCount", warnings, "uploadedByEmail")
     VALUES (gen_random_uuid(), $1, 'phi-3-mini-4k-instruct', $2, 'v1', $3, 2048, $4, $5, 2, 512, '{}', 'admin@e2e.test')`,
    [
      ADAPTER,
      `kaito-adapters/${ADAPTER}`,
      `sha256:${randomBytes(32).toString("hex")}`,
      JSON.stringify({ peft_type: "LORA", r: 8, lora_alpha: 16, target_modules: ["q_proj"] }),
      JSON.stringify([
        { name: "adapter_config.json", sizeBytes: 128 },
        { name: "adapter_model.safetensors", sizeBytes: 1920 },
      ]),
    ],
  );
  await db.end();

  const context = await browser.newContext();
  await signIn(await context.newPage());
  await context.storageState({ path: STATE_FILE });
  await context.close();
});

test.afterAll(async () => {
  spawnSync("kubectl", ["delete", "namespace", NAMESPACE, "--wait=false"], {
    env: { ...process.env, KUBECONFIG },
  });
  const db = new pg.Client({ connectionString: DATABASE_URL });
  await db.connect();
  await db.query(`DELETE FROM "Adapter" WHERE name = $1`, [ADAPTER]);
  await db.end();
});

/** Waits until the page has drawn what it draws after hydration, then runs axe on the whole document. */
async function audit(page: Page): Promise<AxeResults> {
  await page.waitForLoadState("load");
  await expect(page.locator("h1, h2").first()).toBeVisible();
  // Client components fetch after hydration; let their first answers render.
  await page.waitForTimeout(1_000);
  await page.evaluate(AXE_SOURCE);
  return page.evaluate(() => (window as unknown as { axe: typeof import("axe-core") }).axe.run(document));
}

function describeViolations(results: AxeResults): string {
  return results.violations
    .filter((v) => FAILING.includes(v.impact ?? null))
    .map(
      (v) =>
        `${v.impact} ${v.id} ×${v.nodes.length}: ${v.help}\n` +
        v.nodes
          .slice(0, 20)
          .map(
            (n) =>
              `    ${n.target.join(" ")} ${n.html.slice(0, 120)}\n      ${n.failureSummary?.split("\n").slice(1).join(" ").trim()}`,
          )
          .join("\n"),
    )
    .join("\n");
}

for (const route of pageRoutes()) {
  for (const theme of THEMES) {
    test.describe(() => {
      if (!PUBLIC.has(route)) test.use({ storageState: STATE_FILE });
      test(`${route} in ${theme} has no serious or critical axe violation`, async ({ page }) => {
        await page.emulateMedia({ colorScheme: theme });
        for (const url of urlsFor(route)) {
          await page.goto(url);
          const results = await audit(page);
          const counts = results.violations.map((v) => `${v.id}(${v.impact})×${v.nodes.length}`).join(", ");
          console.log(`axe ${url} ${theme}: ${counts || "none"}`);
          // docs/workspaces.md shows this page: the suite keeps the picture current.
          if (url.endsWith(`/${PENDING}`) && theme === "light")
            await page.screenshot({ path: `${SCREENSHOTS}/workspace-detail-pending.png`, fullPage: true });
          expect.soft(describeViolations(results), `axe on ${url} in ${theme}`).toBe("");
        }
      });
    });
  }
}

test.describe("theme", () => {
  test.use({ storageState: STATE_FILE });

  const background = (page: Page) => page.evaluate(() => getComputedStyle(document.body).backgroundColor);

  test("System follows the OS; Light and Dark override it by keyboard, survive a reload and are in the first paint", async ({
    page,
  }) => {
    await page.emulateMedia({ colorScheme: "light" });
    await page.goto("/workspaces");
    const theme = page.getByRole("group", { name: "Theme" });
    await expect(theme.getByRole("radio", { name: "System" })).toBeChecked();
    const light = await background(page);
    await page.emulateMedia({ colorScheme: "dark" });
    const dark = await background(page);
    expect(dark).not.toBe(light);

    // Keyboard only: the group is one Tab stop and the arrow keys choose.
    await page.emulateMedia({ colorScheme: "light" });
    await theme.getByRole("radio", { name: "System" }).focus();
    await page.keyboard.press("ArrowRight");
    await expect(theme.getByRole("radio", { name: "Light" })).toBeChecked();
    await page.keyboard.press("ArrowRight");
    await expect(theme.getByRole("radio", { name: "Dark" })).toBeChecked();
    expect(await background(page)).toBe(dark);

    // Kept across pages and reloads, and the server sends it with the page: no flash of light.
    await page.reload();
    await expect(theme.getByRole("radio", { name: "Dark" })).toBeChecked();
    expect(await background(page)).toBe(dark);
    const html = await (await page.request.get("/workspaces")).text();
    expect(html).toMatch(/<html[^>]* data-theme="dark"/);

    // Light wins over a dark OS; System goes back to following it.
    await page.emulateMedia({ colorScheme: "dark" });
    await theme.getByText("Light").click();
    expect(await background(page)).toBe(light);
    await theme.getByText("System").click();
    expect(await background(page)).toBe(dark);
    await page.reload();
    await expect(theme.getByRole("radio", { name: "System" })).toBeChecked();
  });
});

test.describe("layout", () => {
  test.use({ storageState: STATE_FILE });

  const pageOverflow = (page: Page) =>
    page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

  test("at 1024 px the list shows every workspace's state and the detail page fits", async ({ page }) => {
    await page.setViewportSize({ width: 1024, height: 768 });
    await page.goto("/workspaces");
    const row = page.getByTestId(`workspace-row-${NAMESPACE}-${PENDING}`);
    await page.getByLabel("Search workspaces").fill(PENDING);
    await expect(row.getByRole("link", { name: PENDING })).toBeInViewport({ ratio: 1 });
    await expect(row.getByTestId("workspace-state")).toBeInViewport({ ratio: 1 });
    expect(await pageOverflow(page)).toBe(0);

    await page.goto(`/workspaces/${NAMESPACE}/${PENDING}`);
    await expect(page.getByTestId("detail-state")).toBeInViewport({ ratio: 1 });
    expect(await pageOverflow(page)).toBe(0);
  });

  test("at 390 px the pages keep to the screen's width, behind a menu that opens by keyboard", async ({ page }) => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto("/workspaces");
    const nav = page.getByRole("navigation", { name: "Main" });
    await expect(nav).toBeHidden();
    await page.getByRole("button", { name: "Menu" }).focus();
    await page.keyboard.press("Enter");
    await expect(page.getByRole("button", { name: "Menu" })).toHaveAttribute("aria-expanded", "true");
    await expect(nav.getByRole("link", { name: "Workspaces" })).toBeVisible();
    await page.getByRole("button", { name: "Menu" }).click();
    await expect(nav).toBeHidden();

    const row = page.getByTestId(`workspace-row-${NAMESPACE}-${PENDING}`);
    await page.getByLabel("Search workspaces").fill(PENDING);
    await expect(row.getByRole("link", { name: PENDING })).toBeInViewport({ ratio: 1 });
    await expect(row.getByTestId("workspace-state")).toBeInViewport({ ratio: 1 });
    expect(await pageOverflow(page)).toBe(0);

    await page.goto(`/workspaces/${NAMESPACE}/${PENDING}`);
    await expect(page.getByRole("heading", { name: PENDING, level: 1 })).toBeInViewport();
    await expect(page.getByTestId("detail-state")).toBeInViewport({ ratio: 1 });
    expect(await pageOverflow(page)).toBe(0);
  });
});
