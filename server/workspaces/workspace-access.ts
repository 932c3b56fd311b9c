import "server-only";

import type { Principal } from "@/server/auth/principal";
import { KAITO_GROUP, WORKSPACE_PLURAL } from "@/lib/kaito/api";
import { createAccessReviewer, type Access, type AccessReviewer } from "@/server/kube/access-review";
import { getKubeClient } from "@/server/kube/get-kube-client";
import type { KubeIdentity } from "@/server/kube/kube-client";
import { kubeIdentityOf } from "@/server/kube/kube-identity";
import { workspacesPath } from "@/server/kube/kube-paths";

import type { WorkspaceRow } from "./summarize-workspace";

const globalForAccess = globalThis as unknown as { workspaceAccess?: Promise<AccessReviewer> };

function reviewer(): Promise<AccessReviewer> {
  globalForAccess.workspaceAccess ??= getKubeClient().then((client) => createAccessReviewer(client));
  return globalForAccess.workspaceAccess;
}

/** The Kubernetes identity every request made for this person is sent as. */
export function identityOf(principal: Principal): KubeIdentity {
  return kubeIdentityOf(principal);
}

/** Namespaces a user may list Workspaces in: every one, or the given candidates they pass a review for. */
export type VisibleNamespaces = { all: true } | { all: false; namespaces: ReadonlySet<string> };

/**
 * Where the user may list Workspaces, asked of the apiserver's authorizer as the user and
 * remembered per user for ACCESS_TTL_MS (server/kube/access-review.ts): first once for the whole
 * cluster, then, for a user bound to some namespaces only, once per candidate namespace.
 * A page view or a stream that opens within the TTL costs no apiserver request.
 */
export async function visibleNamespaces(as: KubeIdentity, candidates: Iterable<string>): Promise<VisibleNamespaces> {
  const reviews = await reviewer();
  const attributes = { verb: "list", group: KAITO_GROUP, resource: WORKSPACE_PLURAL };
  if ((await reviews.review(as, attributes)).allowed) return { all: true };
  const unique = [...new Set(candidates)];
  const answers = await Promise.all(unique.map((namespace) => reviews.review(as, { ...attributes, namespace })));
  return { all: false, namespaces: new Set(unique.filter((_, i) => answers[i].allowed)) };
}

export function isVisible(visible: VisibleNamespaces, namespace: string): boolean {
  return visible.all || visible.namespaces.has(namespace);
}

/** The rows of the watch cache this user may see. */
export async function visibleRows(as: KubeIdentity, rows: WorkspaceRow[]): Promise<WorkspaceRow[]> {
  const visible = await visibleNamespaces(
    as,
    rows.map((r) => r.namespace),
  );
  return visible.all ? rows : rows.filter((r) => visible.namespaces.has(r.namespace));
}

/**
 * Whether the person may `get` this Workspace, from the apiserver as them (cached like the
 * lists). The chat proxy and the OpenAI-compatible API ask before a request goes upstream; a
 * refusal carries the apiserver's own message.
 */
export async function checkWorkspaceAccess(principal: Principal, namespace: string, name: string): Promise<Access> {
  return checkGet(identityOf(principal), workspacesPath(namespace, name));
}

/** Whether `as` may GET the object at `path`, with the refusal's message (cached like the lists). */
export async function checkGet(as: KubeIdentity, path: string): Promise<Access> {
  return (await reviewer()).get(as, path);
}

/** Whether the person may list Workspaces in one namespace (the detail page and the stream of one Workspace). */
export async function mayListIn(as: KubeIdentity, namespace: string): Promise<boolean> {
  return isVisible(await visibleNamespaces(as, [namespace]), namespace);
}

/**
 * Which of the candidate namespaces the person may create Workspaces in, and whether they may
 * create namespaces: the create form's suggestions and its offer to create a missing one.
 */
export async function creatableNamespaces(
  as: KubeIdentity,
  candidates: readonly string[],
): Promise<{ namespaces: string[]; mayCreateNamespaces: boolean }> {
  const reviews = await reviewer();
  const create = { verb: "create", group: KAITO_GROUP, resource: WORKSPACE_PLURAL };
  const [everywhere, namespacesToo] = await Promise.all([
    reviews.review(as, create),
    reviews.review(as, { verb: "create", group: "", resource: "namespaces" }),
  ]);
  const answers = everywhere.allowed
    ? candidates.map(() => true)
    : await Promise.all(
        candidates.map(async (namespace) => (await reviews.review(as, { ...create, namespace })).allowed),
      );
  return { namespaces: candidates.filter((_, i) => answers[i]), mayCreateNamespaces: namespacesToo.allowed };
}

/** A person's Kubernetes identity and where they may list Workspaces, for Settings → Users. */
export type KubeAccessView = { user: string; groups: string[]; namespaces: "all" | string[] };

/**
 * For each dashboard user, who they act as in Kubernetes and in which namespaces they may list
 * Workspaces: every namespace, or those of the cluster's namespaces (listed by the web process
 * itself) that a review as them allows. Answers come from the same per-user cache as the lists.
 */
export async function describeKubeAccess(
  users: { id: string; email: string; role: Principal["role"]; external: boolean; oidcGroups?: string[] }[],
): Promise<Record<string, KubeAccessView>> {
  // A short deadline: the Settings page waits for this and still renders without it.
  const list = await (
    await getKubeClient()
  ).request<{ items: { metadata: { name: string } }[] }>({
    method: "GET",
    path: "/api/v1/namespaces",
    timeoutMs: 3_000,
  });
  const candidates = list.items.map((ns) => ns.metadata.name).sort();
  const entries = await Promise.all(
    users.map(async (u) => {
      const as = kubeIdentityOf({
        email: u.email,
        role: u.role,
        externalId: u.external ? "sso" : null,
        oidcGroups: u.oidcGroups,
      });
      const visible = await visibleNamespaces(as, candidates);
      const view: KubeAccessView = {
        user: as.user,
        groups: [...as.groups],
        namespaces: visible.all ? "all" : candidates.filter((ns) => visible.namespaces.has(ns)),
      };
      return [u.id, view] as const;
    }),
  );
  return Object.fromEntries(entries);
}
