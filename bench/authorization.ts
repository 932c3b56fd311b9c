// Per-user authorization's cost (#13), on a running product (`npm start`) and its local cluster:
// `GET /workspaces` with 1,000 Workspaces across 20 namespaces for an operator whom RBAC binds to
// 2 of them, against an admin bound cluster-wide, sampled alternately in one run; and how many
// apiserver requests a page view costs, read from the apiserver's own request counter, with the
// access answers cached (within 30 s) and right after they expire.
//
//   BENCH_EMAIL=… BENCH_PASSWORD=… npm run bench:authorization
//
// For its duration the operators' cluster-wide binding is replaced by two RoleBindings (as with
// rbac.defaultTenantBindings=false); it is put back at the end, and the namespaces are deleted.
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import os from "node:os";
import path from "node:path";

import bcrypt from "bcryptjs";
import {
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  RbacAuthorizationV1Api,
  type V1ClusterRoleBinding,
} from "@kubernetes/client-node";

import { ACCESS_TTL_MS } from "@/server/kube/access-review";
import { closeDb, getDb } from "@/server/db/client";

import { recordRun } from "./record-result";

const root = path.resolve(import.meta.dirname, "..");
const BASE = process.env.BENCH_BASE_URL ?? "http://127.0.0.1:3000";
const ADMIN = { email: process.env.BENCH_EMAIL ?? "admin@localhost", password: process.env.BENCH_PASSWORD ?? "" };
const NAMESPACES = Number(process.env.BENCH_NAMESPACES ?? 20);
const PER_NAMESPACE = Number(process.env.BENCH_PER_NAMESPACE ?? 50);
const BOUND = 2;
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 60);
// A pause between sample pairs, so that the samples span more than the 30 s cache lifetime.
const GAP_MS = Number(process.env.BENCH_SAMPLE_GAP_MS ?? 600);
const OPERATORS_BINDING = "kaito-dashboard-workspace-operators";
const prefix = "bench-authz";
const namespaces = Array.from({ length: NAMESPACES }, (_, i) => `${prefix}-${String(i).padStart(2, "0")}`);
const team = {
  email: `bench-team-${randomBytes(3).toString("hex")}@example.test`,
  password: randomBytes(12).toString("hex"),
};

const kubeconfigPath = process.env.KUBECONFIG ?? path.join(root, ".data/cluster/kubeconfig");
const kc = new KubeConfig();
kc.loadFromFile(kubeconfigPath);
const core = kc.makeApiClient(CoreV1Api);
const custom = kc.makeApiClient(CustomObjectsApi);
const rbac = kc.makeApiClient(RbacAuthorizationV1Api);

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
const stats = (values: number[]) => {
  const s = [...values].sort((a, b) => a - b);
  return { p50: quantile(s, 0.5), p95: quantile(s, 0.95) };
};
const ms = (v: number) => `${v.toFixed(1)} ms`;

async function inBatches<T>(items: T[], size: number, run: (item: T) => Promise<unknown>) {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(run));
}

async function seed() {
  console.log(`creating ${NAMESPACES * PER_NAMESPACE} Workspaces in ${NAMESPACES} namespaces …`);
  for (const name of namespaces) await core.createNamespace({ body: { metadata: { name } } }).catch(() => undefined);
  const items = namespaces.flatMap((namespace) =>
    Array.from({ length: PER_NAMESPACE }, (_, i) => ({ namespace, name: `ws-${String(i).padStart(3, "0")}` })),
  );
  await inBatches(items, 25, ({ namespace, name }) =>
    custom
      .createNamespacedCustomObject({
        group: "kaito.sh",
        version: "v1beta1",
        namespace,
        plural: "workspaces",
        body: {
          apiVersion: "kaito.sh/v1beta1",
          kind: "Workspace",
          metadata: { name },
          resource: { instanceType: "Standard_NC6s_v3", labelSelector: { matchLabels: { apps: "bench" } } },
          inference: { preset: { name: "phi-3-mini-4k-instruct" } },
        },
      })
      .catch((e: { code?: number }) => {
        if (e.code !== 409) throw e;
      }),
  );
}

/** The team operator: a local account in the product's database, bound to the first BOUND namespaces only. */
async function createTeamOperator() {
  const db = await getDb();
  await db.user.create({
    data: {
      email: team.email,
      name: "bench team operator",
      role: "operator",
      passwordHash: await bcrypt.hash(team.password, 10),
    },
  });
  for (const namespace of namespaces.slice(0, BOUND))
    await rbac.createNamespacedRoleBinding({
      namespace,
      body: {
        metadata: { name: "bench-team" },
        roleRef: {
          apiGroup: "rbac.authorization.k8s.io",
          kind: "ClusterRole",
          name: "kaito-dashboard-workspace-editor",
        },
        subjects: [{ apiGroup: "rbac.authorization.k8s.io", kind: "User", name: `kaito-dashboard:${team.email}` }],
      },
    });
}

/** Signs in through the product's credentials endpoint, as the login form does, and returns the session cookie. */
async function signIn({ email, password }: { email: string; password: string }): Promise<string> {
  const csrf = await fetch(`${BASE}/api/auth/csrf`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const csrfCookie = (csrf.headers.getSetCookie() ?? []).map((c) => c.split(";")[0]).join("; ");
  const response = await fetch(`${BASE}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: csrfCookie, origin: BASE },
    body: new URLSearchParams({ email, password, csrfToken, callbackUrl: `${BASE}/` }),
  });
  const session = (response.headers.getSetCookie() ?? [])
    .map((c) => c.split(";")[0])
    .find((c) => c.includes("session-token"));
  if (!session) throw new Error(`signing in as ${email} failed (HTTP ${response.status})`);
  return session;
}

/**
 * Access reviews the apiserver has answered, from its request counter. Only the web asks them
 * (the worker and the cluster's own components never do), so the difference over some page
 * views is what those views cost the apiserver; the list itself comes from the web's watch cache.
 */
async function accessReviews(): Promise<number> {
  // kubectl speaks to the apiserver with the kubeconfig's client certificate and CA as it is.
  const metrics = spawnSync("kubectl", ["get", "--raw", "/metrics"], {
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, KUBECONFIG: kubeconfigPath },
  });
  if (metrics.status !== 0) throw new Error(`kubectl get --raw /metrics: ${metrics.stderr}`);
  let total = 0;
  for (const line of metrics.stdout.split("\n"))
    if (line.startsWith("apiserver_request_total{") && /resource="(self)?subjectaccessreviews"/.test(line))
      total += Number(line.slice(line.lastIndexOf(" ") + 1));
  return total;
}

async function view(cookie: string): Promise<{ ms: number; total: number }> {
  const started = performance.now();
  const response = await fetch(`${BASE}/workspaces`, { headers: { cookie } });
  const html = await response.text();
  const elapsed = performance.now() - started;
  if (!response.ok) throw new Error(`GET /workspaces: HTTP ${response.status}`);
  const total = Number(/data-testid="workspace-count"[^>]*>([\d,]+)/.exec(html)?.[1]?.replace(/,/g, "") ?? NaN);
  return { ms: elapsed, total };
}

/** Access reviews of `views` page views in a row, per view. */
async function requestsPerView(cookie: string, views: number): Promise<number> {
  const before = await accessReviews();
  for (let i = 0; i < views; i++) await view(cookie);
  return ((await accessReviews()) - before) / views;
}

async function main() {
  let saved: V1ClusterRoleBinding | undefined;
  try {
    await seed();
    saved = await rbac.readClusterRoleBinding({ name: OPERATORS_BINDING });
    await rbac.deleteClusterRoleBinding({ name: OPERATORS_BINDING });
    await createTeamOperator();
    const [adminCookie, teamCookie] = [await signIn(ADMIN), await signIn(team)];
    // The watch cache must hold every Workspace before timing starts.
    for (let t = 0; (await view(adminCookie)).total < NAMESPACES * PER_NAMESPACE; t++) {
      if (t > 120) throw new Error("the product's watch cache never showed every Workspace");
      await new Promise((r) => setTimeout(r, 1_000));
    }
    const seen = { admin: (await view(adminCookie)).total, team: (await view(teamCookie)).total };

    // Alternating samples, so drift on the shared machine hits both alike. Past the 30 s cache
    // lifetime some samples include the re-asked reviews, as a real user's would.
    const times = { admin: [] as number[], team: [] as number[] };
    const started = Date.now();
    for (let i = 0; i < SAMPLES; i++) {
      times.admin.push((await view(adminCookie)).ms);
      times.team.push((await view(teamCookie)).ms);
      await new Promise((r) => setTimeout(r, GAP_MS));
    }
    const sampledSeconds = (Date.now() - started) / 1000;
    const admin = stats(times.admin);
    const bound = stats(times.team);

    // Requests per view: within the cache lifetime, then the first view after it expired.
    const cached = { admin: await requestsPerView(adminCookie, 10), team: await requestsPerView(teamCookie, 10) };
    await new Promise((r) => setTimeout(r, ACCESS_TTL_MS + 1_000));
    const expired = { admin: await requestsPerView(adminCookie, 1), team: await requestsPerView(teamCookie, 1) };

    const date = new Date().toISOString().slice(0, 16).replace("T", " ");
    const section = `
## Per-user authorization: ${NAMESPACES * PER_NAMESPACE} Workspaces in ${NAMESPACES} namespaces (${date} UTC)

Machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? "CPU"}, ${Math.round(os.totalmem() / 2 ** 30)} GB, Node ${process.version}; load
average ${os.loadavg()[0].toFixed(1)} at the end. The product as \`npm start\` runs it (production build, embedded database) at ${BASE},
on the local cluster. An admin (bound cluster-wide) and an operator bound by RoleBindings to ${BOUND} of the ${NAMESPACES}
namespaces (the operators' cluster-wide binding removed for the run) request \`/workspaces\` alternately, ${SAMPLES} times each,
over ${sampledSeconds.toFixed(0)} s (${sampledSeconds * 1000 > ACCESS_TTL_MS ? "longer than" : "within"} the ${ACCESS_TTL_MS / 1000} s lifetime of the cached access answers). The admin saw
${seen.admin} Workspaces, the operator ${seen.team}. Command: \`npm run bench:authorization\`.

| measure | operator bound to ${BOUND} namespaces | admin (baseline, same run) | ratio | target |
|---|---|---|---|---|
| \`GET /workspaces\` server response | p50 ${ms(bound.p50)}, p95 ${ms(bound.p95)} | p50 ${ms(admin.p50)}, p95 ${ms(admin.p95)} | ${(bound.p95 / admin.p95).toFixed(2)}× (p95) | ≤ 1.2× |
| apiserver requests per view, answers cached (10 views) | ${cached.team.toFixed(1)} | ${cached.admin.toFixed(1)} | — | 0 |
| apiserver requests of the first view after the cache expired | ${expired.team} | ${expired.admin} | — | 1 + one per namespace at most |

Apiserver requests per view are the access reviews the apiserver answered (its \`apiserver_request_total\` counter for
\`selfsubjectaccessreviews\`), which only the web asks; the list itself is served from the web's watch cache and asks nothing.
The worker reconciled the ${NAMESPACES * PER_NAMESPACE} new Workspaces during the run, which is most of the machine's load.
`;
    console.log(section);
    recordRun("authorization", "Per-user authorization", section);
  } finally {
    if (saved)
      await rbac
        .createClusterRoleBinding({
          body: {
            metadata: { name: saved.metadata!.name, labels: saved.metadata!.labels },
            roleRef: saved.roleRef,
            subjects: saved.subjects,
          },
        })
        .catch((e: { code?: number }) => {
          if (e.code !== 409) throw e;
        });
    await (await getDb()).user.deleteMany({ where: { email: team.email } }).catch(() => undefined);
    await closeDb();
    for (const name of namespaces) await core.deleteNamespace({ name }).catch(() => undefined);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
