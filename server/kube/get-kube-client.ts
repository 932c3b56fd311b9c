import "server-only";

import { createKubeClient, type KubeClient } from "./kube-client";
import { loadKubeConfig } from "./kubeconfig";

const globalForClient = globalThis as unknown as { kaitoKubeClient?: Promise<KubeClient> };

/**
 * The web process's one Kubernetes client (one keep-alive pool for every page, route and the
 * watch cache). Next.js may load this module more than once, so it lives on globalThis; a
 * failed start is not remembered, so a cluster that comes up later is picked up.
 */
export function getKubeClient(): Promise<KubeClient> {
  if (!globalForClient.kaitoKubeClient) {
    const created = createKubeClient(loadKubeConfig().kc);
    globalForClient.kaitoKubeClient = created;
    created.catch(() => {
      if (globalForClient.kaitoKubeClient === created) globalForClient.kaitoKubeClient = undefined;
    });
  }
  return globalForClient.kaitoKubeClient;
}
