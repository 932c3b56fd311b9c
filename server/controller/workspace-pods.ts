import "server-only";

import { LABEL_WORKSPACE } from "@/lib/kaito/labels";
import { workspaceKey, type Workspace } from "@/server/kube/types/workspace";

import type { ControllerContext } from "./controller-context";

/** The Workspace's pods from the cache, by its index, checked against namespace and label. */
export function workspacePods(ctx: ControllerContext, ws: Workspace) {
  const ns = ws.metadata.namespace;
  const name = ws.metadata.name;
  return ctx.caches.pods
    .byIndex(workspaceKey(ws))
    .filter((p) => p.metadata?.namespace === ns && p.metadata?.labels?.[LABEL_WORKSPACE] === name);
}
