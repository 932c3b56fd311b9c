// Workspaces for tests that run no controller: one created as a user would apply it, then made
// ready (or not) for inference through its status subresource, as the controller would —
// inference tests run no GPU pod, and the proxy only reaches ready Workspaces.
import { CustomObjectsApi, PatchStrategy, setHeaderOptions } from "@kubernetes/client-node";

import { KAITO_GROUP, WORKSPACE_PLURAL, WORKSPACE_VERSION } from "@/lib/kaito/api";
import { ConditionType, Message, Reason } from "@/lib/kaito/conditions";
import { loadKubeConfig } from "@/server/kube/kubeconfig";
import type { AdapterSpec } from "@/server/kube/types/workspace";

export async function setInferenceReady(namespace: string, name: string, ready: boolean): Promise<void> {
  const custom = loadKubeConfig().kc.makeApiClient(CustomObjectsApi);
  await custom.patchNamespacedCustomObjectStatus(
    {
      group: KAITO_GROUP,
      version: WORKSPACE_VERSION,
      namespace,
      plural: WORKSPACE_PLURAL,
      name,
      body: {
        status: {
          conditions: [
            {
              type: ConditionType.InferenceReady,
              status: ready ? "True" : "False",
              reason: ready ? Reason.InferenceReady : Reason.InferencePending,
              message: ready ? Message.InferenceReady : Message.InferencePending,
              lastTransitionTime: new Date().toISOString(),
            },
          ],
        },
      },
    },
    setHeaderOptions("Content-Type", PatchStrategy.MergePatch),
  );
}

/** A phi-3 inference Workspace on Standard_NC6s_v3 in `namespace`, with `adapters` if given. */
export async function createInferenceWorkspace(
  namespace: string,
  name: string,
  adapters?: AdapterSpec[],
): Promise<void> {
  await loadKubeConfig()
    .kc.makeApiClient(CustomObjectsApi)
    .createNamespacedCustomObject({
      group: KAITO_GROUP,
      version: WORKSPACE_VERSION,
      namespace,
      plural: WORKSPACE_PLURAL,
      body: {
        apiVersion: `${KAITO_GROUP}/${WORKSPACE_VERSION}`,
        kind: "Workspace",
        metadata: { name, namespace },
        resource: { instanceType: "Standard_NC6s_v3", labelSelector: { matchLabels: { apps: name } } },
        inference: { preset: { name: "phi-3-mini-4k-instruct" }, ...(adapters ? { adapters } : {}) },
      },
    });
}
