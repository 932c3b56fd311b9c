// Makes a Workspace ready (or not) for inference through its status subresource, as the
// controller would: inference tests run no GPU pod, and the proxy only reaches ready Workspaces.
import { CustomObjectsApi, PatchStrategy, setHeaderOptions } from "@kubernetes/client-node";

import { KAITO_GROUP, WORKSPACE_PLURAL, WORKSPACE_VERSION } from "@/lib/kaito/api";
import { ConditionType, Message, Reason } from "@/lib/kaito/conditions";
import { loadKubeConfig } from "@/server/kube/kubeconfig";

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
