import "server-only";

import { CoreV1Api, CustomObjectsApi } from "@kubernetes/client-node";

import { loadKubeConfig } from "@/server/kube/kubeconfig";

let clients: { custom: CustomObjectsApi; core: CoreV1Api } | undefined;

/** API clients for the web process, built once from the kubeconfig the rest of the app uses. */
export function kubeClients() {
  if (!clients) {
    const { kc } = loadKubeConfig();
    clients = { custom: kc.makeApiClient(CustomObjectsApi), core: kc.makeApiClient(CoreV1Api) };
  }
  return clients;
}
