// Workspace list with 1,000 Workspaces: server response time of the list page, JavaScript sent
// to the browser, time to interactive in Chromium, and how long a status write takes to show in
// an open browser. Runs against a running web server (`npm start`, or BENCH_BASE_URL) on the
// local cluster. Prints the figures and appends them to docs/benchmarks.md.
//
//   BENCH_BASE_URL=http://127.0.0.1:3000 BENCH_EMAIL=… BENCH_PASSWORD=… npm run bench:workspaces
// dev/bench.mjs installs Chromium when missing and names what is missing of the running product.
import os from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";

import {
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  PatchStrategy,
  setHeaderOptions,
  Watch,
} from "@kubernetes/client-node";
import { chromium, type Page } from "playwright-core";

import { CHROMIUM_ARGS } from "../tests/e2e/support/e2e-env";
import { signIn } from "../tests/e2e/support/sign-in";

import { recordRun } from "./record-result";

const root = path.resolve(import.meta.dirname, "..");
const BASE = process.env.BENCH_BASE_URL ?? "http://127.0.0.1:3000";
const EMAIL = process.env.BENCH_EMAIL ?? "admin@localhost";
const PASSWORD = process.env.BENCH_PASSWORD ?? "";
const COUNT = Number(process.env.BENCH_WORKSPACES ?? 1000);
const NAMESPACE = process.env.BENCH_NAMESPACE ?? "bench-workspaces";
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 40);
const STATUS_SAMPLES = Number(process.env.BENCH_STATUS_SAMPLES ?? 20);
const group = "kaito.sh";
const version = "v1beta1";
const plural = "workspaces";

const kc = new KubeConfig();
kc.loadFromFile(process.env.KUBECONFIG ?? path.join(root, ".data/cluster/kubeconfig"));
const core = kc.makeApiClient(CoreV1Api);
const custom = kc.makeApiClient(CustomObjectsApi);
const mergePatch = setHeaderOptions("Content-Type", PatchStrategy.MergePatch);

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
const stats = (values: number[]) => {
  const s = [...values].sort((a, b) => a - b);
  return { p50: quantile(s, 0.5), p95: quantile(s, 0.95), max: s.at(-1)! };
};
const ms = (v: number) => `${v.toFixed(1)} ms`;

async function inBatches<T>(items: T[], size: number, run: (item: T) => Promise<unknown>) {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(run));
}

const names = Array.from({ length: COUNT }, (_, i) => `bench-${String(i).padStart(4, "0")}`);
const readyStatus = (state: string) => ({
  status: {
    state,
    targetNodeCount: 1,
    conditions: ["ResourceReady", "InferenceReady", "WorkspaceSucceeded"].map((type) => ({
      type,
      status: state === "Ready" ? "True" : "False",
      reason: state === "Ready" ? "bench" : "benchPending",
      message: "set by bench/workspace-list.ts",
      lastTransitionTime: new Date().toISOString().replace(/\.\d+Z$/, "Z"),
    })),
  },
});

async function seed() {
  await core.createNamespace({ body: { metadata: { name: NAMESPACE } } }).catch(() => undefined);
  const existing = (await custom.listNamespacedCustomObject({ group, version, namespace: NAMESPACE, plural })) as {
    items: unknown[];
  };
  if (existing.items.length >= COUNT) return;
  console.log(`creating ${COUNT} workspaces in ${NAMESPACE} …`);
  await inBatches(names, 25, async (name) => {
    await custom
      .createNamespacedCustomObject({
        group,
        version,
        namespace: NAMESPACE,
        plural,
        body: {
          apiVersion: `${group}/${version}`,
          kind: "Workspace",
          metadata: { name },
          resource: { instanceType: "Standard_NC6s_v3", labelSelector: { matchLabels: { apps: "bench" } } },
          inference: { preset: { name: "phi-3-mini-4k-instruct" } },
        },
      })
      .catch((e: { code?: number }) => {
        if (e.code !== 409) throw e;
      });
    await custom.patchNamespacedCustomObjectStatus(
      { group, version, namespace: NAMESPACE, plural, name, body: readyStatus("Ready") },
      mergePatch,
    );
  });
}

async function serverTimes(cookie: string, pathname: string) {
  const times: number[] = [];
  let bytes = 0;
  for (let i = 0; i < SAMPLES + 3; i++) {
    const started = performance.now();
    const response = await fetch(`${BASE}${pathname}`, { headers: { cookie } });
    const body = await response.arrayBuffer();
    if (!response.ok) throw new Error(`${pathname}: HTTP ${response.status}`);
    bytes = body.byteLength;
    if (i >= 3) times.push(performance.now() - started);
  }
  return { ...stats(times), bytes };
}

/** Scripts the browser downloads for a page, gzipped as a server would send them. */
async function scriptBytes(page: Page, pathname: string, ready: () => Promise<unknown>) {
  const bodies: Buffer[] = [];
  const listener = async (response: import("playwright-core").Response) => {
    if (response.request().resourceType() === "script") bodies.push(await response.body().catch(() => Buffer.alloc(0)));
  };
  page.on("response", listener);
  const started = Date.now();
  await page.goto(`${BASE}${pathname}`);
  await ready();
  const interactiveMs = Date.now() - started;
  await page.waitForLoadState("networkidle");
  page.off("response", listener);
  const raw = bodies.reduce((a, b) => a + b.length, 0);
  const gzipped = bodies.reduce((a, b) => a + gzipSync(b).length, 0);
  return { raw, gzipped, interactiveMs };
}

/** Baseline for the status latency: how long the apiserver takes to deliver the same write to a plain watch. */
async function watchLatency(name: string, state: string): Promise<number> {
  let resolveSeen: (t: number) => void;
  const seen = new Promise<number>((r) => (resolveSeen = r));
  const abort = await new Watch(kc).watch(
    `/apis/${group}/${version}/namespaces/${NAMESPACE}/${plural}`,
    { fieldSelector: `metadata.name=${name}` },
    (_type, obj: { status?: { state?: string } }) => {
      if (obj.status?.state === state) resolveSeen(performance.now());
    },
    () => undefined,
  );
  await new Promise((r) => setTimeout(r, 200));
  const started = performance.now();
  await custom.patchNamespacedCustomObjectStatus(
    { group, version, namespace: NAMESPACE, plural, name, body: readyStatus(state) },
    mergePatch,
  );
  const at = await seen;
  abort.abort();
  return at - started;
}

async function main() {
  await seed();
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: CHROMIUM_ARGS,
  });
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, baseURL: BASE });
  const page = await context.newPage();
  await signIn(page, { email: EMAIL, password: PASSWORD });
  const cookie = (await context.cookies()).map((c) => `${c.name}=${c.value}`).join("; ");

  const list = await serverTimes(cookie, "/workspaces");
  const baseline = await serverTimes(cookie, "/api/healthz");

  const listJs = await scriptBytes(page, "/workspaces", () =>
    page.getByTestId("stream-status").getByText("Live").waitFor(),
  );
  const rows = await page.getByTestId("workspace-count").textContent();
  const editorJs = await scriptBytes(page, "/workspaces/new", () =>
    page.locator(".monaco-editor").waitFor({ timeout: 60_000 }),
  );
  const loginPage = await browser.newPage();
  const loginJs = await scriptBytes(loginPage, "/login", () => loginPage.locator("#email").waitFor());

  // Status write → visible in the open list page. The page records when the row's state text changes.
  await page.goto(`${BASE}/workspaces`);
  await page.getByTestId("stream-status").getByText("Live").waitFor();
  const target = names[0];
  await page.getByLabel("Search workspaces").fill(target);
  const cell = page.getByTestId(`workspace-row-${NAMESPACE}-${target}`).getByTestId("workspace-state");
  await cell.waitFor();
  const uiLatency: number[] = [];
  const watchBaseline: number[] = [];
  for (let i = 0; i < STATUS_SAMPLES; i++) {
    // Flip whatever the row shows now, so every write is a visible change.
    const state = (await cell.textContent()) === "Ready" ? "NotReady" : "Ready";
    await page.evaluate(
      ([key, expected]) => {
        const w = window as unknown as { __seenAt?: number };
        w.__seenAt = undefined;
        const observer = new MutationObserver(() => {
          const el = document.querySelector(`[data-testid="workspace-row-${key}"] [data-testid="workspace-state"]`);
          if (el?.textContent === expected) {
            w.__seenAt = Date.now();
            observer.disconnect();
          }
        });
        observer.observe(document.body, { subtree: true, childList: true, characterData: true });
      },
      [`${NAMESPACE}-${target}`, state],
    );
    const written = Date.now();
    await custom.patchNamespacedCustomObjectStatus(
      { group, version, namespace: NAMESPACE, plural, name: target, body: readyStatus(state) },
      mergePatch,
    );
    await page.waitForFunction(() => (window as unknown as { __seenAt?: number }).__seenAt !== undefined, undefined, {
      timeout: 10_000,
    });
    uiLatency.push((await page.evaluate(() => (window as unknown as { __seenAt: number }).__seenAt)) - written);
    watchBaseline.push(await watchLatency(names[1], state));
  }
  await browser.close();

  const ui = stats(uiLatency);
  const watch = stats(watchBaseline);
  const kb = (b: number) => `${(b / 1024).toFixed(1)} KB`;
  const date = new Date().toISOString().slice(0, 16).replace("T", " ");
  const section = `
## Workspace list with ${COUNT} workspaces (${date} UTC)

Machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? "CPU"}, ${Math.round(os.totalmem() / 2 ** 30)} GB, Node ${process.version}; the web server
at ${BASE} (production build), the local cluster, ${COUNT} Workspaces in one namespace with Ready status. Other engineers'
processes shared the machine. Command: \`node --conditions=react-server --import tsx bench/workspace-list.ts\`.

| measure | result | target | baseline in the same run | ratio |
|---|---|---|---|---|
| \`GET /workspaces\` server response (${SAMPLES} sequential, signed in; HTML ${kb(list.bytes)}) | p50 ${ms(list.p50)}, p95 ${ms(list.p95)} | p95 < 150 ms | \`GET /api/healthz\` p95 ${ms(baseline.p95)} | ${(list.p95 / baseline.p95).toFixed(1)}× |
| JavaScript for \`/workspaces\`, gzipped (raw) | ${kb(listJs.gzipped)} (${kb(listJs.raw)}) | < 250 KB | \`/login\` ${kb(loginJs.gzipped)} | ${(listJs.gzipped / loginJs.gzipped).toFixed(2)}× |
| JavaScript for \`/workspaces/new\` (Monaco), gzipped | ${kb(editorJs.gzipped)} | Monaco only here | — | — |
| \`/workspaces\` navigation → rows shown and stream live (Chromium; ${rows?.trim()}) | ${listJs.interactiveMs} ms | < 2 s | \`/login\` ${loginJs.interactiveMs} ms | ${(listJs.interactiveMs / Math.max(1, loginJs.interactiveMs)).toFixed(1)}× |
| status write → visible in the open list (${STATUS_SAMPLES} writes) | p50 ${ms(ui.p50)}, p95 ${ms(ui.p95)}, max ${ms(ui.max)} | < 1 s | plain watch p50 ${ms(watch.p50)}, p95 ${ms(watch.p95)} | ${(ui.p50 / Math.max(0.1, watch.p50)).toFixed(1)}× (p50) |
`;
  console.log(section);
  recordRun("workspaces", "Workspace list", section);
  if (process.env.BENCH_KEEP !== "1") await core.deleteNamespace({ name: NAMESPACE }).catch(() => undefined);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
