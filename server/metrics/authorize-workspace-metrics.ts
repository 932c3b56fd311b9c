import "server-only";

import type { Principal } from "@/server/auth/principal";
import { AppError } from "@/server/errors";
import { checkWorkspaceAccess } from "@/server/workspaces/workspace-access";
import { getWorkspaceCache } from "@/server/workspaces/workspace-cache";

import { dnsLabel } from "./promql";

/**
 * A Workspace's metrics are shown to whoever may `get` the Workspace, asked of the apiserver as
 * them (the same check as the chat proxy); a Workspace that does not exist is a 404.
 */
export async function authorizeWorkspaceMetrics(principal: Principal, namespace: string, name: string): Promise<void> {
  dnsLabel("namespace", namespace);
  dnsLabel("name", name);
  const access = await checkWorkspaceAccess(principal, namespace, name);
  if (!access.allowed) throw new AppError("forbidden", access.message);
  const cache = getWorkspaceCache();
  await cache.ready();
  if (!cache.get(namespace, name)) throw new AppError("not_found", `Workspace ${namespace}/${name} does not exist`);
}
