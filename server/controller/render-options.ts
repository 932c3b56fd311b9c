import "server-only";

import type { V1OwnerReference } from "@kubernetes/client-node";

import { WORKSPACE_KIND } from "@/lib/kaito/api";
import { LABEL_WORKSPACE } from "@/lib/kaito/labels";
import type { Workspace } from "@/server/kube/types/workspace";

/** What renderers need from configuration; passed in so that they stay pure. */
export type RenderOptions = {
  imageRegistry: string;
  imageTag: string;
  /**
   * Test-only: Workspace annotations starting with this prefix are copied onto the pod template,
   * so integration tests can tell the simulated kubelet (KWOK stages) to fail a pod. Empty = off.
   */
  podAnnotationPassthroughPrefix: string;
};

export const DEFAULT_RENDER_OPTIONS: RenderOptions = {
  imageRegistry: "mcr.microsoft.com/aks/kaito",
  imageTag: "0.2.0",
  podAnnotationPassthroughPrefix: "",
};

export function workspaceLabels(ws: Workspace): Record<string, string> {
  return { [LABEL_WORKSPACE]: ws.metadata.name };
}

/** A controller ownerReference, so Kubernetes garbage-collects the workload with the Workspace. */
export function workspaceOwnerReference(ws: Workspace): V1OwnerReference {
  return {
    apiVersion: ws.apiVersion,
    kind: WORKSPACE_KIND,
    name: ws.metadata.name,
    uid: ws.metadata.uid ?? "",
    controller: true,
    blockOwnerDeletion: true,
  };
}

export function passthroughPodAnnotations(ws: Workspace, options: RenderOptions): Record<string, string> {
  if (!options.podAnnotationPassthroughPrefix) return {};
  return Object.fromEntries(
    Object.entries(ws.metadata.annotations ?? {}).filter(([k]) => k.startsWith(options.podAnnotationPassthroughPrefix)),
  );
}
