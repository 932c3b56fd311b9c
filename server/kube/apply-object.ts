import "server-only";

import { FIELD_MANAGER } from "@/lib/kaito/api";

import type { KubeClient } from "./kube-client";

export type ApplyTarget = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string };
};

const PLURALS: Record<string, string> = {
  StatefulSet: "statefulsets",
  Service: "services",
  Job: "jobs",
  ConfigMap: "configmaps",
  Event: "events",
  NodeClaim: "nodeclaims",
  Workspace: "workspaces",
  Lease: "leases",
  Node: "nodes",
  Pod: "pods",
};

/** The REST path of one object (or its collection when `name` is omitted). */
export function objectPath(apiVersion: string, kind: string, namespace: string | undefined, name?: string): string {
  const plural = PLURALS[kind];
  if (!plural) throw new Error(`No REST path known for kind ${kind}`);
  const prefix = apiVersion.includes("/") ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
  const ns = namespace ? `/namespaces/${namespace}` : "";
  return `${prefix}${ns}/${plural}${name ? `/${name}` : ""}`;
}

/**
 * Server-side apply with our field manager, forced: we own the fields we render, and taking
 * them back from whoever edited them is exactly the drift repair the controller promises.
 * Fields we never set (added by others) are left alone.
 */
export async function applyObject<T>(client: KubeClient, obj: ApplyTarget): Promise<T> {
  return client.request<T>({
    method: "PATCH",
    path: objectPath(obj.apiVersion, obj.kind, obj.metadata.namespace, obj.metadata.name),
    query: { fieldManager: FIELD_MANAGER, force: true },
    body: obj,
    contentType: "application/apply-patch+yaml",
  });
}

export async function mergePatch<T>(client: KubeClient, path: string, patch: unknown): Promise<T> {
  return client.request<T>({ method: "PATCH", path, body: patch, contentType: "application/merge-patch+json" });
}
