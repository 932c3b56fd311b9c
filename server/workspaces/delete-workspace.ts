import "server-only";

import { getKubeClient } from "@/server/kube/get-kube-client";
import type { KubeIdentity } from "@/server/kube/kube-client";
import { workspacesPath } from "@/server/kube/kube-paths";
import { mapKubeError } from "@/server/kube/map-kube-error";

/** Starts deletion as the person asking; the controller's finalizer removes the NodeClaims before the object goes. */
export async function deleteWorkspace(namespace: string, name: string, as: KubeIdentity): Promise<void> {
  try {
    await (await getKubeClient()).request({ method: "DELETE", path: workspacesPath(namespace, name), as });
  } catch (error) {
    throw mapKubeError(error, `delete workspace ${namespace}/${name}`);
  }
}
