import "server-only";

import { FIELD_MANAGER } from "@/lib/kaito/api";
import { AppError } from "@/server/errors";
import { getKubeClient } from "@/server/kube/get-kube-client";
import { isConflict, type KubeIdentity } from "@/server/kube/kube-client";
import { workspacesPath } from "@/server/kube/kube-paths";
import { mapKubeError } from "@/server/kube/map-kube-error";
import type { AdapterSpec, Workspace } from "@/server/kube/types/workspace";

// The controller writes a Workspace's status many times while it comes up, and every write moves
// the resourceVersion; a few re-reads cover that without the user seeing a conflict.
const ATTEMPTS = 4;

/** JSON with object keys sorted, so two lists compare by content whatever order their keys came in. */
const canonical = (value: unknown): string =>
  JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );

const sameAdapters = (a: readonly AdapterSpec[], b: readonly AdapterSpec[]) => canonical(a) === canonical(b);

/**
 * Replaces `inference.adapters`, the only part of an inference Workspace the API lets change, as
 * the person. `base` is the list the change was made from: if the Workspace's list is no longer
 * that, someone else changed it and the update is refused (409) instead of overwriting their edit.
 * A status write by the controller is not someone else's edit, so it never makes this fail: the
 * read-compare-patch repeats with the new resourceVersion. A merge patch replaces the whole list,
 * so it is never half-written.
 */
export async function updateWorkspaceAdapters(
  namespace: string,
  name: string,
  adapters: AdapterSpec[],
  base: readonly AdapterSpec[],
  as: KubeIdentity,
): Promise<Workspace> {
  const client = await getKubeClient();
  const path = workspacesPath(namespace, name);
  for (let attempt = 1; ; attempt++) {
    let current: Workspace;
    try {
      current = await client.request<Workspace>({ method: "GET", path, as });
    } catch (error) {
      throw mapKubeError(error, `read workspace ${namespace}/${name}`);
    }
    if (!sameAdapters(current.inference?.adapters ?? [], base))
      throw new AppError(
        "conflict",
        `The adapters of ${namespace}/${name} were changed by someone else since you started; reopen the editor to start from the current list.`,
        { fieldErrors: { adapters: ["changed by someone else"] } },
      );
    try {
      return await client.request<Workspace>({
        method: "PATCH",
        path,
        query: { fieldManager: FIELD_MANAGER, fieldValidation: "Strict" },
        contentType: "application/merge-patch+json",
        body: { metadata: { resourceVersion: current.metadata.resourceVersion }, inference: { adapters } },
        as,
      });
    } catch (error) {
      if (isConflict(error) && attempt < ATTEMPTS) continue;
      throw mapKubeError(error, `update the adapters of ${namespace}/${name}`);
    }
  }
}
