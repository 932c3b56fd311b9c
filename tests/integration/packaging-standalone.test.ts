// What the container image runs, without a Docker engine: the package that the Dockerfile copies
// (dev/package/build-package.ts — Next.js standalone output, the custom web server and the worker
// bundled by esbuild) starts with plain `node`, no tsx, no --conditions, no source tree, and serves.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createWriteStream, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { ensureHelm } from "../../dev/helm/ensure-helm";
import { freePort } from "../../dev/lib/ports";
import { buildPackage } from "../../dev/package/build-package";
import { kubeApis, kubeconfigPath, statusCode, uniqueName, useTestNamespace } from "../support/cluster";
import { waitFor } from "../support/wait-for";
import { createInferenceWorkspace } from "../support/workspace-status";

const root = path.resolve(import.meta.dirname, "../..");
const packageDir = path.join(root, ".data/package-test/app");
const chart = path.join(root, "charts/kaito-dashboard");
// A build of our own unless the run already has a fresh one (e.g. KD_PACKAGE_NEXT_DIST_DIR=.next
// after `npm start` built it): the standalone output of any `next build` of this tree will do.
const distDir = process.env.KD_PACKAGE_NEXT_DIST_DIR ?? ".next-package";
const ns = useTestNamespace("packaging");

type Running = { child: ChildProcess; log: string; port: number };
const running: Running[] = [];
let scratch: string;

/** Starts `node <entry>` in the package the way the image's ENTRYPOINT does: nothing but node. */
async function startFromPackage(entry: string, env: Record<string, string>, port: number): Promise<Running> {
  const log = path.join(scratch, `${entry}.log`);
  const out = createWriteStream(log);
  const child = spawn(process.execPath, [entry], {
    cwd: packageDir,
    // No NODE_OPTIONS, tsx loader or react-server condition leaks in from the test runner.
    env: {
      NODE_ENV: "production",
      PATH: process.env.PATH ?? "",
      HOME: os.homedir(),
      KUBECONFIG: kubeconfigPath(),
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout!.pipe(out);
  child.stderr!.pipe(out);
  const proc = { child, log, port };
  running.push(proc);
  return proc;
}

async function get(proc: Running, pathname: string, init?: RequestInit): Promise<Response> {
  if (proc.child.exitCode !== null) throw new Error(`exited: ${readFileSync(proc.log, "utf8").slice(-2000)}`);
  return fetch(`http://127.0.0.1:${proc.port}${pathname}`, { ...init, signal: AbortSignal.timeout(10_000) });
}

beforeAll(async () => {
  scratch = mkdtempSync(path.join(os.tmpdir(), "kd-packaging-"));
  // next build takes minutes on 2 cores; it is skipped when the build is newer than the sources.
  await buildPackage({ outDir: packageDir, distDir });
}, 1_200_000);

afterAll(async () => {
  await Promise.all(
    running.map(
      ({ child }) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
          child.once("exit", () => {
            clearTimeout(timer);
            resolve();
          });
          child.kill("SIGTERM");
        }),
    ),
  );
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

/** A kubeconfig for the test cluster that authenticates as the given ServiceAccount. */
async function serviceAccountKubeconfig(namespace: string, name: string): Promise<string> {
  const { kc, core } = kubeApis();
  const token = await core.createNamespacedServiceAccountToken({
    name,
    namespace,
    body: { spec: { expirationSeconds: 3600, audiences: [] } },
  });
  const cluster = kc.getCurrentCluster()!;
  const caData = cluster.caData ?? (cluster.caFile ? readFileSync(cluster.caFile).toString("base64") : undefined);
  const file = path.join(scratch, `${name}.kubeconfig`);
  writeFileSync(
    file,
    JSON.stringify({
      apiVersion: "v1",
      kind: "Config",
      clusters: [{ name: "test", cluster: { server: cluster.server, "certificate-authority-data": caData } }],
      users: [{ name, user: { token: token.status!.token } }],
      contexts: [{ name, context: { cluster: "test", user: name, namespace } }],
      "current-context": name,
    }),
    { mode: 0o600 },
  );
  return file;
}

describe("production package", () => {
  it("contains the two entry points and the files the server reads, but no sources or tests", () => {
    for (const file of [
      "web-server.mjs",
      "worker.mjs",
      `${distDir}/BUILD_ID`,
      `${distDir}/static`,
      "charts/kaito-dashboard/files/crds/workspaces.kaito.sh.yaml",
      "prisma/migrations",
      "public/favicon.ico",
    ]) {
      expect(existsSync(path.join(packageDir, file)), file).toBe(true);
    }
    for (const absent of ["server", "app", "tests", "dev", ".data", "node_modules/vitest", "node_modules/typescript"]) {
      expect(existsSync(path.join(packageDir, absent)), absent).toBe(false);
    }
  });

  it("serves the web app with plain node: probes, the sign-in page with its assets, the inference fast path", async () => {
    const port = await freePort();
    const web = await startFromPackage(
      "web-server.mjs",
      {
        PORT: String(port),
        HOST: "127.0.0.1",
        AUTH_SECRET: "packaging-test-secret-0123456789abcdef",
        PGLITE_DIR: path.join(scratch, "web-db"),
      },
      port,
    );
    await waitFor("the web server's liveness probe", async () => (await get(web, "/api/healthz")).ok, {
      timeoutMs: 90_000,
      intervalMs: 500,
    });

    const ready = await waitFor(
      "readiness (database migrated)",
      async () => {
        const response = await get(web, "/api/healthz?probe=ready");
        return response.ok && ((await response.json()) as { database: string });
      },
      { timeoutMs: 60_000, intervalMs: 500 },
    );
    expect(ready.database).toBe("ok");

    const login = await get(web, "/login");
    expect(login.status).toBe(200);
    const html = await login.text();
    const script = /\/_next\/static\/[^"]+\.js/.exec(html)?.[0];
    expect(script).toBeDefined();
    expect((await get(web, script!)).status).toBe(200);
    // public/: what a browser or crawler asks for before anyone has signed in.
    const favicon = await get(web, "/favicon.ico");
    expect(favicon.status).toBe(200);
    expect(favicon.headers.get("content-type")).toMatch(/icon/);
    expect(await (await get(web, "/robots.txt")).text()).toContain("Disallow: /");

    // Served by the custom server's node:http fast path, before Next: refuses strangers as JSON.
    const inference = await get(web, "/api/inference/default/phi-3/v1/chat/completions", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: "phi-3", messages: [{ role: "user", content: "hi" }] }),
    });
    expect(inference.status).toBe(401);
    expect(((await inference.json()) as { error: { code: string } }).error.code).toBe("unauthenticated");
  });

  it("runs the bundled worker with plain node and only the chart's RBAC: health, readiness, it reconciles a Workspace", async () => {
    // The chart installed for real (helm renders the worker's ServiceAccount, ClusterRole and
    // Lease Role); the worker then runs with that ServiceAccount's token, not as cluster-admin.
    const release = uniqueName("kdpkg").replace(/-/g, "");
    const helmBin = ensureHelm();
    const install = spawnSync(
      helmBin,
      [
        "install",
        release,
        chart,
        "--namespace",
        ns.name,
        // The shared cluster's Kaito CRDs were installed outside Helm (tests/support/global-setup.ts).
        "--set",
        "crds.install=false",
        "--set",
        "web.replicas=0",
        "--set",
        "worker.replicas=0",
      ],
      { encoding: "utf8", env: { ...process.env, KUBECONFIG: kubeconfigPath() } },
    );
    expect(install.stderr).toBe("");
    expect(install.status).toBe(0);
    const serviceAccount = `${release}-kaito-dashboard-worker`;
    const kubeconfig = await serviceAccountKubeconfig(ns.name, serviceAccount);

    const port = await freePort();
    const worker = await startFromPackage(
      "worker.mjs",
      {
        KUBECONFIG: kubeconfig,
        WORKER_PORT: String(port),
        // Confined to this test's namespace and Lease: the shared cluster has other tests' workers.
        CONTROLLER_NAMESPACE: ns.name,
        LEADER_ELECTION: "true",
        LEADER_ELECTION_NAMESPACE: ns.name,
        LEADER_ELECTION_LEASE_NAME: serviceAccount,
        PGLITE_DIR: path.join(scratch, "worker-db"),
      },
      port,
    );
    await waitFor("the worker's /healthz", async () => (await get(worker, "/healthz")).ok, {
      timeoutMs: 60_000,
      intervalMs: 500,
    });
    await waitFor("the worker's /readyz", async () => (await get(worker, "/readyz")).ok, {
      timeoutMs: 60_000,
      intervalMs: 500,
    });

    const { custom } = kubeApis();
    const name = "phi-3-packaged";
    await createInferenceWorkspace(ns.name, name);
    const conditions = await waitFor(
      "conditions on the Workspace written by the packaged worker",
      async () => {
        const ws = (await custom.getNamespacedCustomObject({
          group: "kaito.sh",
          version: "v1beta1",
          namespace: ns.name,
          plural: "workspaces",
          name,
        })) as { status?: { conditions?: { type: string }[] } };
        return ws.status?.conditions?.length ? ws.status.conditions : undefined;
      },
      { timeoutMs: 90_000, intervalMs: 1000 },
    );
    expect(conditions.map((c) => c.type)).toContain("ResourceReady");

    // Deleted while the worker runs, so that its finalizer is removed and the namespace can go.
    await custom.deleteNamespacedCustomObject({
      group: "kaito.sh",
      version: "v1beta1",
      namespace: ns.name,
      plural: "workspaces",
      name,
    });
    await waitFor(
      "the Workspace to be gone",
      () =>
        custom
          .getNamespacedCustomObject({
            group: "kaito.sh",
            version: "v1beta1",
            namespace: ns.name,
            plural: "workspaces",
            name,
          })
          .then(
            () => false,
            (error: unknown) => statusCode(error) === 404,
          ),
      { timeoutMs: 90_000, intervalMs: 1000 },
    );
  });
});
