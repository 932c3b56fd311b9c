import "server-only";

import { getKubeClient } from "@/server/kube/get-kube-client";
import type { KubeIdentity } from "@/server/kube/kube-client";
import { mapKubeError } from "@/server/kube/map-kube-error";

import { creatableNamespaces } from "./workspace-access";

// Kubernetes' own namespaces: a Workspace never belongs there, so they are not offered.
const SYSTEM_NAMESPACES = /^kube-/;

export type NamespaceChoices = { namespaces: string[]; mayCreateNamespaces: boolean };

/**
 * The namespaces offered to a person for a new Workspace: those that exist (listed by the web
 * process itself, since most people may not list namespaces) in which the apiserver says the
 * person may create Workspaces, sorted; and whether they may create a namespace.
 */
export async function listNamespaces(as: KubeIdentity): Promise<NamespaceChoices> {
  try {
    const list = await (
      await getKubeClient()
    ).request<{ items: { metadata: { name: string } }[] }>({ method: "GET", path: "/api/v1/namespaces" });
    const existing = list.items.map((ns) => ns.metadata.name).filter((name) => !SYSTEM_NAMESPACES.test(name));
    const choices = await creatableNamespaces(as, existing);
    return { ...choices, namespaces: choices.namespaces.sort() };
  } catch (error) {
    throw mapKubeError(error, "list namespaces");
  }
}
