import "server-only";

import { existsSync } from "node:fs";
import path from "node:path";

import { KubeConfig } from "@kubernetes/client-node";

/** Where `npm run cluster:up` writes the local cluster's kubeconfig. */
export const LOCAL_CLUSTER_KUBECONFIG = path.resolve(process.cwd(), ".data/cluster/kubeconfig");

export type KubeConfigSource = "KUBECONFIG" | "in-cluster" | "local-cluster";

/**
 * Picks the cluster the way kubectl users expect: an explicit KUBECONFIG wins, then the pod's
 * service account, then the project's own local cluster.
 */
export function loadKubeConfig(): { kc: KubeConfig; source: KubeConfigSource } {
  const kc = new KubeConfig();
  if (process.env.KUBECONFIG) {
    kc.loadFromFile(process.env.KUBECONFIG);
    return { kc, source: "KUBECONFIG" };
  }
  if (process.env.KUBERNETES_SERVICE_HOST && existsSync("/var/run/secrets/kubernetes.io/serviceaccount/token")) {
    kc.loadFromCluster();
    return { kc, source: "in-cluster" };
  }
  if (existsSync(LOCAL_CLUSTER_KUBECONFIG)) {
    kc.loadFromFile(LOCAL_CLUSTER_KUBECONFIG);
    return { kc, source: "local-cluster" };
  }
  throw new Error(
    "No Kubernetes cluster configured: set KUBECONFIG, run inside a cluster, or start the local one with `npm run cluster:up`",
  );
}
