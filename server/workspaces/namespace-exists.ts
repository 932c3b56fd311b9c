import "server-only";

import { getKubeClient } from "@/server/kube/get-kube-client";
import { isNotFound } from "@/server/kube/kube-client";
import { mapKubeError } from "@/server/kube/map-kube-error";

/**
 * Whether a namespace exists, asked by the web process itself: whether the person may see it is
 * not the question. Other failures (unreachable, refused) are errors, not a "no".
 */
export async function namespaceExists(name: string): Promise<boolean> {
  try {
    await (await getKubeClient()).request({ method: "GET", path: `/api/v1/namespaces/${encodeURIComponent(name)}` });
    return true;
  } catch (error) {
    if (isNotFound(error)) return false;
    throw mapKubeError(error, `read namespace ${name}`);
  }
}
