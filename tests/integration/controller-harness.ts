// Shared by tests/integration/controller-*.test.ts: runs the real worker process against the
// local cluster as a ServiceAccount bound to the chart's worker ClusterRole (never as admin).
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

import { parseAllDocuments, parse as parseYaml } from "yaml";

import { freePort } from "@/dev/lib/ports";
import { createKubeClient, isAlreadyExists, isNotFound, type KubeClient } from "@/server/kube/kube-client";
import { loadKubeConfig } from "@/server/kube/kubeconfig";
import type { Workspace } from "@/server/kube/types/workspace";
import { waitFor } from "@/tests/support/wait-for";

export const repoRoot = path.resolve(import.meta.dirname, "../..");

export async function adminClient(): Promise<KubeClient> {
  return createKubeClient(loadKubeConfig().kc);
}

export function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(3).toString("hex")}`;
}

/**
 * The chart's worker RBAC (charts/kaito-dashboard/templates/worker-rbac.yaml) with the Helm
 * expressions replaced: the same rules the chart installs, so the test proves they suffice.
 */
export function renderWorkerRbac(
  name: string,
  namespace: string,
  mode: "reconcile" | "observe" = "reconcile",
): Record<string, unknown>[] {
  const template = readFileSync(path.join(repoRoot, "charts/kaito-dashboard/templates/worker-rbac.yaml"), "utf8");
  const text = template
    .replace(/\{\{-? \/\*[\s\S]*?\*\/ -?\}\}/g, "")
    // controller.mode's branches (never nested): keep the one the mode selects.
    .replace(
      /\{\{- if eq \.Values\.controller\.mode "(\w+)" \}\}\n([\s\S]*?)(?:\{\{- else \}\}\n([\s\S]*?))?\{\{- end \}\}\n/g,
      (_all, when: string, then: string, otherwise: string | undefined) => (when === mode ? then : (otherwise ?? "")),
    )
    .split("\n")
    .filter((line) => !/^\s*\{\{-/.test(line))
    .join("\n")
    .replace(/\{\{ include "kaito-dashboard\.worker\.(fullname|serviceAccountName)" \. \}\}/g, name)
    .replace(/\{\{ \.Release\.Namespace \}\}/g, namespace);
  return parseAllDocuments(text)
    .map((d) => d.toJS() as Record<string, unknown> | null)
    .filter((d): d is Record<string, unknown> => !!d)
    .map((d) => {
      const meta = d.metadata as Record<string, unknown>;
      delete meta.labels;
      return d;
    });
}

const COLLECTIONS: Record<string, (ns: string) => string> = {
  ServiceAccount: (ns) => `/api/v1/namespaces/${ns}/serviceaccounts`,
  ClusterRole: () => "/apis/rbac.authorization.k8s.io/v1/clusterroles",
  ClusterRoleBinding: () => "/apis/rbac.authorization.k8s.io/v1/clusterrolebindings",
  Role: (ns) => `/apis/rbac.authorization.k8s.io/v1/namespaces/${ns}/roles`,
  RoleBinding: (ns) => `/apis/rbac.authorization.k8s.io/v1/namespaces/${ns}/rolebindings`,
};

/** A namespace, the worker's RBAC objects, and a kubeconfig holding the ServiceAccount's token. */
export async function prepareWorkerIdentity(
  client: KubeClient,
  namespace: string,
  mode: "reconcile" | "observe" = "reconcile",
): Promise<{ kubeconfig: string; user: string; cleanup(): Promise<void> }> {
  await client
    .request({ method: "POST", path: "/api/v1/namespaces", body: { metadata: { name: namespace } } })
    .catch((e) => {
      if (!isAlreadyExists(e)) throw e;
    });
  const name = `kd-worker-${namespace}`.slice(0, 63);
  const objects = renderWorkerRbac(name, namespace, mode);
  for (const obj of objects) {
    await client.request({ method: "POST", path: COLLECTIONS[obj.kind as string](namespace), body: obj }).catch((e) => {
      if (!isAlreadyExists(e)) throw e;
    });
  }
  const token = await client.request<{ status: { token: string } }>({
    method: "POST",
    path: `/api/v1/namespaces/${namespace}/serviceaccounts/${name}/token`,
    body: { apiVersion: "authentication.k8s.io/v1", kind: "TokenRequest", spec: { expirationSeconds: 7200 } },
  });
  const { kc } = loadKubeConfig();
  const cluster = kc.getCurrentCluster()!;
  const caData = cluster.caData ?? (cluster.caFile ? readFileSync(cluster.caFile).toString("base64") : undefined);
  const dir = mkdtempSync(path.join(os.tmpdir(), "kd-worker-"));
  const kubeconfig = path.join(dir, "kubeconfig");
  writeFileSync(
    kubeconfig,
    JSON.stringify({
      apiVersion: "v1",
      kind: "Config",
      clusters: [{ name: "local", cluster: { server: cluster.server, "certificate-authority-data": caData } }],
      users: [{ name: name, user: { token: token.status.token } }],
      contexts: [{ name: "worker", context: { cluster: "local", user: name, namespace } }],
      "current-context": "worker",
    }),
  );
  return {
    kubeconfig,
    user: `system:serviceaccount:${namespace}:${name}`,
    async cleanup() {
      for (const obj of objects.filter((o) => String(o.kind).startsWith("Cluster"))) {
        const meta = obj.metadata as { name: string };
        await client
          .request({ method: "DELETE", path: `${COLLECTIONS[obj.kind as string](namespace)}/${meta.name}` })
          .catch(() => undefined);
      }
    },
  };
}

export type WorkerProcess = {
  port: number;
  child: ChildProcess;
  logs(): string;
  metrics(): Promise<string>;
  kill(signal?: NodeJS.Signals): Promise<void>;
};

/**
 * `script`: a bundled worker (what the package ships) instead of server/worker.ts through tsx;
 * `nodeArgs`: extra flags for node itself (the benchmark's --cpu-prof, which NODE_OPTIONS refuses).
 */
export async function startWorker(
  env: Record<string, string>,
  options: { nodeArgs?: string[]; script?: string } = {},
): Promise<WorkerProcess> {
  const port = await freePort();
  let output = "";
  const entry = options.script
    ? [options.script]
    : ["--conditions=react-server", "--import", "tsx", "server/worker.ts"];
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), ...entry], {
    cwd: repoRoot,
    env: { ...process.env, WORKER_PORT: String(port), LOG_LEVEL: "info", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout!.on("data", (d) => (output += d));
  child.stderr!.on("data", (d) => (output += d));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  await waitFor(
    "the worker's /healthz",
    async () => child.exitCode === null && (await fetch(`http://127.0.0.1:${port}/healthz`)).ok,
    { timeoutMs: 30_000 },
  ).catch((error) => {
    throw new Error(`${error.message}\nworker output:\n${output}`);
  });
  return {
    port,
    child,
    logs: () => output,
    metrics: async () => (await fetch(`http://127.0.0.1:${port}/metrics`)).text(),
    async kill(signal = "SIGTERM") {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}

export type WorkerIdentity = Awaited<ReturnType<typeof prepareWorkerIdentity>>;

export type WorkerRig = {
  client: KubeClient;
  ns: string;
  identity: WorkerIdentity;
  /** Every worker the rig started, in the order they came up. */
  workers: WorkerProcess[];
  /** The worker started last. */
  readonly worker: WorkerProcess;
  /** One more worker with the same env: the next one after a kill, as a Deployment would start. */
  startWorker(): Promise<WorkerProcess>;
  /** Kills every worker, runs `afterStop`, deletes the namespace and the worker's cluster-wide RBAC. */
  stop(): Promise<void>;
};

/**
 * The worker under test in a namespace of its own (named `prefix-…`), as the chart's
 * ServiceAccount, watching and electing its leader in that namespace unless `env` says otherwise.
 * `beforeStart` runs once the namespace and RBAC exist, before any worker, and may return more env
 * (a database URL it made); `afterStop` runs once the workers are gone, before the namespace
 * goes. A set-up that fails part-way is torn down here before the error is thrown.
 */
export async function startWorkerRig(
  prefix: string,
  env: Record<string, string>,
  options: {
    mode?: "reconcile" | "observe";
    /** An admin client the test already holds (one made here otherwise). */
    client?: KubeClient;
    /** Workers started at once, racing for the Lease as a Deployment's replicas do. */
    replicas?: number;
    beforeStart?: (rig: { client: KubeClient; ns: string }) => Promise<Record<string, string> | void>;
    afterStop?: (rig: { client: KubeClient; ns: string }) => Promise<void>;
  } = {},
): Promise<WorkerRig> {
  const client = options.client ?? (await adminClient());
  const ns = uniqueName(prefix);
  const workers: WorkerProcess[] = [];
  let identity: WorkerIdentity | undefined;
  const stop = async () => {
    await Promise.all(workers.map((w) => w.kill()));
    await options.afterStop?.({ client, ns });
    await client.request({ method: "DELETE", path: `/api/v1/namespaces/${ns}` }).catch(() => undefined);
    await identity?.cleanup();
  };
  try {
    identity = await prepareWorkerIdentity(client, ns, options.mode);
    const more = await options.beforeStart?.({ client, ns });
    const workerEnv = {
      KUBECONFIG: identity.kubeconfig,
      CONTROLLER_NAMESPACE: ns,
      LEADER_ELECTION_NAMESPACE: ns,
      ...env,
      ...more,
    };
    const start = async () => {
      const worker = await startWorker(workerEnv);
      workers.push(worker);
      return worker;
    };
    await Promise.all(Array.from({ length: options.replicas ?? 1 }, start));
    return {
      client,
      ns,
      identity,
      workers,
      get worker() {
        return workers[workers.length - 1];
      },
      startWorker: start,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

export async function applyExample(
  client: KubeClient,
  namespace: string,
  file: string,
  edit?: (ws: Workspace) => void,
): Promise<Workspace> {
  const ws = parseYaml(readFileSync(path.join(repoRoot, "examples", file), "utf8")) as Workspace;
  ws.metadata.namespace = namespace;
  edit?.(ws);
  return client.request<Workspace>({
    method: "POST",
    // Posted in the apiVersion the file declares (the seed uses v1alpha1), as kubectl apply would.
    path: `/apis/${ws.apiVersion}/namespaces/${namespace}/workspaces`,
    body: ws,
  });
}

export async function getWorkspace(
  client: KubeClient,
  namespace: string,
  name: string,
): Promise<Workspace | undefined> {
  try {
    return await client.request<Workspace>({
      method: "GET",
      path: `/apis/kaito.sh/v1beta1/namespaces/${namespace}/workspaces/${name}`,
    });
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

export function conditionOf(ws: Workspace | undefined, type: string) {
  return ws?.status?.conditions?.find((c) => c.type === type);
}

export async function waitForCondition(
  client: KubeClient,
  namespace: string,
  name: string,
  type: string,
  status: "True" | "False",
  reason?: string,
  timeoutMs = 90_000,
): Promise<Workspace> {
  return waitFor(
    `${namespace}/${name} ${type}=${status}${reason ? ` (${reason})` : ""}`,
    async () => {
      const ws = await getWorkspace(client, namespace, name);
      const c = conditionOf(ws, type);
      return c?.status === status && (!reason || c.reason === reason) ? ws : undefined;
    },
    { timeoutMs },
  );
}

export async function listNodeClaims(client: KubeClient, namespace: string, workspace?: string) {
  const selector = `kaito.sh/workspacenamespace=${namespace}${workspace ? `,kaito.sh/workspace=${workspace}` : ""}`;
  const list = await client.request<{
    items: {
      metadata: { name: string; labels: Record<string, string>; deletionTimestamp?: string };
      status?: { nodeName?: string };
    }[];
  }>({
    method: "GET",
    path: "/apis/karpenter.sh/v1/nodeclaims",
    query: { labelSelector: selector },
  });
  return list.items;
}
