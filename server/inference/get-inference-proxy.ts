import "server-only";

import { authorizeRequest } from "@/server/actions/request-pipeline";
import type { Principal } from "@/server/auth/principal";
import { getDb } from "@/server/db/client";
import { loadKubeConfig } from "@/server/kube/kubeconfig";
import { observeProxyUsage } from "@/server/metrics/proxy-metrics";
import { readRecordContent } from "@/server/settings/inference-settings";
import { checkWorkspaceAccess, identityOf, isVisible, visibleNamespaces } from "@/server/workspaces/workspace-access";
import { getWorkspaceCache } from "@/server/workspaces/workspace-cache";

import { cacheSetting } from "./cache-setting";
import { loadInferenceConfig } from "./config";
import { createInferenceProxy } from "./create-inference-proxy";
import type { WorkspaceLookup } from "./inference-types";
import { recordUsage } from "./record-usage";
import { createEndpointResolver } from "./resolve-endpoint";

const RECORD_CONTENT_TTL_MS = 5_000;

/** The proxy wired to the real parts: session/token auth, the shared Workspace watch cache, the database. */
export function getInferenceProxy() {
  // A bad variable stops the web process at start; the cluster is only contacted on first use,
  // so the rest of the app still starts while the cluster is down.
  const config = loadInferenceConfig();
  const workspaces: WorkspaceLookup = {
    get: (namespace, name) => getWorkspaceCache().get(namespace, name),
    list: () => {
      const cache = getWorkspaceCache();
      return cache.listRows().flatMap((row) => cache.get(row.namespace, row.name) ?? []);
    },
    ready: async (timeoutMs) => getWorkspaceCache().ready(timeoutMs),
  };
  const log = (message: string, error?: unknown) =>
    console.error(`[inference] ${message}`, error instanceof Error ? error.message : (error ?? ""));
  return createInferenceProxy({
    config,
    authorize: (request) => authorizeRequest("inference:use", request, "inference") as Promise<Principal>,
    // Kubernetes decides, as the person, which Workspaces they may chat with (answers cached).
    mayAccess: (principal, namespace, name) => checkWorkspaceAccess(principal, namespace, name),
    visibleTo: async (principal, candidates) => {
      const visible = await visibleNamespaces(identityOf(principal), candidates);
      return (namespace) => isVisible(visible, namespace);
    },
    workspaces,
    resolve: createEndpointResolver(config, () => loadKubeConfig().kc),
    recordUsage: (record) => {
      observeProxyUsage(record);
      return recordUsage(record);
    },
    // Changed on the Settings page (possibly by another replica): a request sees it within 5 s.
    recordContent: cacheSetting(
      async () => readRecordContent(await getDb(), config.recordContent),
      config.recordContent,
      RECORD_CONTENT_TTL_MS,
      log,
    ),
    log,
  });
}
