import "server-only";

import {
  KAITO_GROUP,
  KARPENTER_GROUP,
  NODECLAIM_PLURAL,
  NODECLAIM_VERSION,
  WORKSPACE_PLURAL,
  WORKSPACE_VERSION,
} from "@/lib/kaito/api";

// Names come from URLs and forms: encoded, so that a "namespace" like `../../api` cannot walk
// the apiserver's path to another resource.
const seg = encodeURIComponent;

/** The Workspaces of one namespace, or one Workspace when `name` is given. */
export function workspacesPath(namespace: string, name?: string, version: string = WORKSPACE_VERSION): string {
  const collection = `/apis/${KAITO_GROUP}/${seg(version)}/namespaces/${seg(namespace)}/${WORKSPACE_PLURAL}`;
  return name === undefined ? collection : `${collection}/${seg(name)}`;
}

/** Every Workspace in the cluster (the watch cache's collection). */
export const ALL_WORKSPACES_PATH = `/apis/${KAITO_GROUP}/${WORKSPACE_VERSION}/${WORKSPACE_PLURAL}`;

export const ALL_NODECLAIMS_PATH = `/apis/${KARPENTER_GROUP}/${NODECLAIM_VERSION}/${NODECLAIM_PLURAL}`;

/** One NodeClaim (cluster-scoped). */
export function nodeClaimPath(name: string): string {
  return `${ALL_NODECLAIMS_PATH}/${seg(name)}`;
}

/** The path of a Workspace object the controller holds (from the watch, so namespace and name are set). */
export function workspaceObjectPath(ws: { metadata: { namespace?: string; name?: string } }): string {
  return workspacesPath(ws.metadata.namespace ?? "", ws.metadata.name ?? "");
}

/** A core (v1) collection of one namespace, e.g. `pods`, `events`, `services`. */
export function coreNamespacedPath(namespace: string, resource: string): string {
  return `/api/v1/namespaces/${seg(namespace)}/${resource}`;
}

export function nodePath(name?: string): string {
  return name === undefined ? "/api/v1/nodes" : `/api/v1/nodes/${seg(name)}`;
}
