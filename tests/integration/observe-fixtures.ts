// Replays what upstream Kaito v0.12's controller did (tests/fixtures/upstream-kaito-v012) on the
// local cluster, under upstream's field manager, so that tests can run our worker beside it.
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, statSync } from "node:fs";
import path from "node:path";

import { parse as parseYaml } from "yaml";

import { auditLogPath } from "@/dev/cluster/paths";
import type { KubeClient } from "@/server/kube/kube-client";
import type { Workspace } from "@/server/kube/types/workspace";
import { waitFor } from "@/tests/support/wait-for";

import { repoRoot } from "./controller-harness";

/** The field manager of upstream's controller built from source (its image's binary writes as `manager`). */
export const UPSTREAM_MANAGER = "kaito-workspace";
export const UPSTREAM_FINALIZER = "workspace.finalizer.kaito.sh";

type Obj = {
  apiVersion: string;
  kind: string;
  metadata: Record<string, unknown> & { name: string; namespace?: string; labels?: Record<string, string> };
  [field: string]: unknown;
};

const fixtureDir = path.join(repoRoot, "tests/fixtures/upstream-kaito-v012");

export function loadFixture(file: string): Obj[] {
  return (parseYaml(readFileSync(path.join(fixtureDir, file), "utf8")) as { items: Obj[] }).items;
}

/**
 * A fixture object as it would be posted: the server-set metadata and the status dropped, the
 * case's namespace and names replaced everywhere (labels, affinity, selectors) by the test's.
 */
export function asPosted(obj: Obj, renames: Record<string, string>): Obj {
  let text = JSON.stringify(obj);
  for (const [from, to] of Object.entries(renames)) text = text.split(`"${from}"`).join(`"${to}"`);
  const copy = JSON.parse(text) as Obj;
  const { name, namespace, labels, annotations } = copy.metadata;
  copy.metadata = { name, ...(namespace ? { namespace } : {}), labels, annotations };
  delete copy.status;
  return copy;
}

/** One Ready inference Workspace replayed as upstream made it: Workspace, NodeClaim, StatefulSet, Services, status. */
export class UpstreamReplay {
  readonly name = "workspace-phi-3-mini";
  readonly claimName = `ws${randomBytes(5).toString("hex").slice(0, 9)}`;
  private readonly items = loadFixture("ready-phi3.yaml");
  private readonly claim = loadFixture("nodeclaims.yaml").find((c) => c.metadata.name === "wsd95018782")!;

  constructor(
    private readonly client: KubeClient,
    readonly namespace: string,
  ) {}

  private renames(): Record<string, string> {
    return { "up-ready-phi3": this.namespace, wsd95018782: this.claimName };
  }

  private item(kind: string, name = this.name): Obj {
    return this.items.find((i) => i.kind === kind && i.metadata.name === name)!;
  }

  private post<T>(collection: string, body: Obj, manager = UPSTREAM_MANAGER): Promise<T> {
    return this.client.request<T>({ method: "POST", path: collection, query: { fieldManager: manager }, body });
  }

  private mergePatch<T>(objectPath: string, body: unknown): Promise<T> {
    return this.client.request<T>({
      method: "PATCH",
      path: objectPath,
      query: { fieldManager: UPSTREAM_MANAGER },
      contentType: "application/merge-patch+json",
      body,
    });
  }

  get workspacePath(): string {
    return `/apis/kaito.sh/v1beta1/namespaces/${this.namespace}/workspaces/${this.name}`;
  }

  /** The user's `kubectl apply`, then upstream's first write: its finalizer. */
  async createWorkspace(): Promise<Workspace> {
    const ws = asPosted(this.item("Workspace"), this.renames());
    delete (ws.metadata.annotations as Record<string, string>)["kubectl.kubernetes.io/last-applied-configuration"];
    for (const key of ["workspace.kaito.io/hash", "workspace.kaito.io/revision"])
      delete (ws.metadata.annotations as Record<string, string>)[key];
    await this.post(`/apis/kaito.sh/v1beta1/namespaces/${this.namespace}/workspaces`, ws, "kubectl-client-side-apply");
    return this.mergePatch<Workspace>(this.workspacePath, { metadata: { finalizers: [UPSTREAM_FINALIZER] } });
  }

  /** Upstream's NodeClaim; the provisioner double launches its node and writes its status, as gpu-provisioner does. */
  async createNodeClaim(): Promise<string> {
    await this.post("/apis/karpenter.sh/v1/nodeclaims", asPosted(this.claim, this.renames()));
    const claim = await waitFor(
      `NodeClaim ${this.claimName} Ready`,
      async () => {
        const c = await this.client.request<{
          status?: { nodeName?: string; conditions?: { type: string; status: string }[] };
        }>({ method: "GET", path: `/apis/karpenter.sh/v1/nodeclaims/${this.claimName}` });
        return c.status?.conditions?.some((x) => x.type === "Ready" && x.status === "True") && c.status.nodeName
          ? c
          : undefined;
      },
      { timeoutMs: 60_000 },
    );
    return claim.status!.nodeName!;
  }

  private ownedBy(ws: Workspace) {
    return {
      apiVersion: "kaito.sh/v1beta1",
      kind: "Workspace",
      name: this.name,
      uid: ws.metadata.uid!,
      controller: true,
      blockOwnerDeletion: true,
    };
  }

  /** Upstream's two Services (its selectors and ports, no labels), controlled by the Workspace. */
  async createServices(ws: Workspace): Promise<void> {
    for (const name of [this.name, `${this.name}-headless`]) {
      const svc = asPosted(this.item("Service", name), this.renames());
      svc.metadata.ownerReferences = [this.ownedBy(ws)];
      const spec = svc.spec as { clusterIP?: string; clusterIPs?: string[] };
      if (spec.clusterIP !== "None") delete spec.clusterIP;
      delete spec.clusterIPs;
      await this.post(`/api/v1/namespaces/${this.namespace}/services`, svc);
    }
  }

  /** Upstream's StatefulSet and its two Services, controlled by the Workspace; KWOK runs the pod. */
  async createWorkload(ws: Workspace): Promise<void> {
    const sts = asPosted(this.item("StatefulSet"), this.renames());
    sts.metadata.ownerReferences = [this.ownedBy(ws)];
    await this.post(`/apis/apps/v1/namespaces/${this.namespace}/statefulsets`, sts);
    await this.createServices(ws);
    await waitFor(`pod ${this.name}-0 Ready`, async () => {
      const pod = await this.client.request<{ status?: { conditions?: { type: string; status: string }[] } }>({
        method: "GET",
        path: `/api/v1/namespaces/${this.namespace}/pods/${this.name}-0`,
      });
      return pod.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True");
    });
  }

  /**
   * Upstream's status, written through the status subresource under its field manager: first the
   * node conditions, then inference and success, as its reconcile loop reports them.
   */
  async writeStatus(nodeName: string, conditionTypes?: string[]): Promise<Workspace> {
    const upstream = this.item("Workspace").status as {
      conditions: { type: string; lastTransitionTime: string }[];
      [field: string]: unknown;
    };
    const current = await this.client.request<Workspace>({ method: "GET", path: this.workspacePath });
    const now = new Date().toISOString().replace(/\.\d+Z$/, "Z");
    const wanted = upstream.conditions.filter((c) => !conditionTypes || conditionTypes.includes(c.type));
    const kept = (current.status?.conditions ?? []).filter((c) => !wanted.some((w) => w.type === c.type));
    return this.mergePatch<Workspace>(`${this.workspacePath}/status`, {
      status: {
        ...upstream,
        // Upstream's state stays Pending until its inference is ready.
        state: conditionTypes ? "Pending" : upstream.state,
        workerNodes: [nodeName],
        conditions: [
          ...kept,
          ...wanted.map((c) => ({ ...c, lastTransitionTime: now, observedGeneration: current.metadata.generation })),
        ],
      },
    });
  }

  /** `kubectl delete`: upstream's finalizer holds the Workspace in Terminating. */
  async requestDeletion(): Promise<void> {
    await this.client.request({ method: "DELETE", path: this.workspacePath });
  }

  /** Upstream deleting its NodeClaim and releasing its finalizer: the Workspace goes. */
  async releaseFinalizer(): Promise<void> {
    await this.client
      .request({ method: "DELETE", path: `/apis/karpenter.sh/v1/nodeclaims/${this.claimName}` })
      .catch(() => undefined);
    await this.mergePatch(this.workspacePath, { metadata: { finalizers: null } });
  }
}

export type AuditEvent = {
  verb: string;
  user: { username: string };
  objectRef?: { resource?: string; subresource?: string; namespace?: string; name?: string };
  responseStatus?: { code?: number };
};

/** Where the apiserver's audit log ends now: read later from here to see only what came after. */
export function auditLogOffset(): number {
  if (!existsSync(auditLogPath))
    throw new Error(
      `The local cluster runs without an audit log (${auditLogPath}); it was created before ` +
        "dev/cluster/audit-policy.yaml existed: npm run cluster:down, then run the test again.",
    );
  return statSync(auditLogPath).size;
}

/** The audit events since `offset` (the policy records ServiceAccounts' writes, refused ones included). */
export function auditEventsSince(offset: number): AuditEvent[] {
  return readFileSync(auditLogPath)
    .subarray(offset)
    .toString("utf8")
    .split("\n")
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as AuditEvent);
}
