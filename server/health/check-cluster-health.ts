import "server-only";

import http from "node:http";
import https from "node:https";

import { loadKubeConfig } from "@/server/kube/kubeconfig";

export type ClusterHealth = {
  connected: boolean;
  source?: string;
  server?: string;
  message?: string;
  checkedAt: string;
};

const CACHE_MS = 5_000;
const TIMEOUT_MS = 2_000;
let cached: { at: number; health: Promise<ClusterHealth> } | undefined;

/**
 * Asks the apiserver's /readyz, at most every few seconds however many browsers poll, with a
 * short timeout so a dead cluster shows as "unreachable" instead of a hanging indicator.
 */
export function checkClusterHealth(now = Date.now()): Promise<ClusterHealth> {
  if (cached && now - cached.at < CACHE_MS) return cached.health;
  const health = probe();
  cached = { at: now, health };
  return health;
}

async function probe(): Promise<ClusterHealth> {
  const checkedAt = new Date().toISOString();
  let server: string | undefined;
  try {
    const { kc, source } = loadKubeConfig();
    const cluster = kc.getCurrentCluster();
    server = cluster?.server;
    if (!server) return { connected: false, source, message: "kubeconfig has no current cluster", checkedAt };
    const url = new URL("/readyz", server);
    const options: https.RequestOptions = { method: "GET", timeout: TIMEOUT_MS, headers: {} };
    await kc.applyToHTTPSOptions(options);
    const status = await new Promise<number>((resolve, reject) => {
      const request = (url.protocol === "https:" ? https : http).request(url, options, (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      });
      request.on("timeout", () => request.destroy(new Error(`no answer within ${TIMEOUT_MS} ms`)));
      request.on("error", reject);
      request.end();
    });
    return status === 200
      ? { connected: true, source, server, checkedAt }
      : { connected: false, source, server, message: `/readyz answered ${status}`, checkedAt };
  } catch (error) {
    return { connected: false, server, message: (error as Error).message.slice(0, 200), checkedAt };
  }
}
