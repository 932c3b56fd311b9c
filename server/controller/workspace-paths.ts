import "server-only";

import {
  KAITO_GROUP,
  KARPENTER_GROUP,
  NODECLAIM_PLURAL,
  NODECLAIM_VERSION,
  WORKSPACE_PLURAL,
  WORKSPACE_VERSION,
} from "@/lib/kaito/api";
import type { Workspace } from "@/server/kube/types/workspace";

export const WORKSPACES_PATH = `/apis/${KAITO_GROUP}/${WORKSPACE_VERSION}/${WORKSPACE_PLURAL}`;
export const NODECLAIMS_PATH = `/apis/${KARPENTER_GROUP}/${NODECLAIM_VERSION}/${NODECLAIM_PLURAL}`;

export function workspacePath(ws: Pick<Workspace, "metadata">): string {
  return `/apis/${KAITO_GROUP}/${WORKSPACE_VERSION}/namespaces/${ws.metadata.namespace}/${WORKSPACE_PLURAL}/${ws.metadata.name}`;
}

export function nodeClaimPath(name: string): string {
  return `${NODECLAIMS_PATH}/${name}`;
}
