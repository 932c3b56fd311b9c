import "server-only";

import { getKubeClient } from "@/server/kube/get-kube-client";
import { isNotFound, type KubeIdentity } from "@/server/kube/kube-client";
import { workspacesPath } from "@/server/kube/kube-paths";
import { mapKubeError } from "@/server/kube/map-kube-error";
import type { Workspace } from "@/server/kube/types/workspace";

/** The Workspace as the API server has it now (not the watch cache), read as the person: the base of an edit. */
export async function getWorkspace(namespace: string, name: string, as: KubeIdentity): Promise<Workspace | null> {
  try {
    return await (
      await getKubeClient()
    ).request<Workspace>({ method: "GET", path: workspacesPath(namespace, name), as });
  } catch (error) {
    if (isNotFound(error)) return null;
    throw mapKubeError(error, `read workspace ${namespace}/${name}`);
  }
}
