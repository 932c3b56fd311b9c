import "server-only";

import {
  editableWorkspace,
  immutableChanges,
  lockedReason,
  sameValue,
  type EditableWorkspace,
} from "@/lib/kaito/workspace-immutability";
import { FIELD_MANAGER } from "@/lib/kaito/api";
import { AppError } from "@/server/errors";
import { getKubeClient } from "@/server/kube/get-kube-client";
import type { KubeIdentity } from "@/server/kube/kube-client";
import { workspacesPath } from "@/server/kube/kube-paths";
import { mapKubeError } from "@/server/kube/map-kube-error";
import type { Workspace } from "@/server/kube/types/workspace";

import { documentIssuesError } from "./document-issues-error";
import { getWorkspace } from "./get-workspace";
import { validateWorkspaceDocument } from "./validate-workspace-document";

export type WorkspaceUpdate = {
  namespace: string;
  name: string;
  /** The edited document (EditableWorkspace as YAML). */
  yaml: string;
  /** The document the user started from and its resourceVersion: the base of the conflict check. */
  baseYaml: string;
  baseResourceVersion: string;
};

export type UpdatedWorkspace = {
  resourceVersion: string;
  before: EditableWorkspace;
  after: EditableWorkspace;
};

function conflictError(namespace: string, name: string): AppError {
  return new AppError(
    "conflict",
    `Someone else changed ${namespace}/${name} after you opened it, so your edit was not applied. Load the latest version and make your change again.`,
  );
}

/**
 * Replaces a Workspace's editable fields, refusing at the field what the CRD forbids changing.
 * Conflicts are judged on what the user edits: the controller's status writes bump the
 * resourceVersion all the time, so a newer version whose editable part still equals the user's
 * base is no conflict and the update goes on at that version; a changed one is refused (409).
 * The replace carries the resourceVersion, so a write that lands in between is refused too. It is
 * sent as the person, so Kubernetes decides whether they may.
 */
export async function updateWorkspace(update: WorkspaceUpdate, as: KubeIdentity): Promise<UpdatedWorkspace> {
  const { namespace, name } = update;
  const { workspace: proposed, issues } = validateWorkspaceDocument(update.yaml);
  // A rule broken by a field that cannot change (a preset since dropped from the catalog) must not
  // block fixing the fields that can; the immutability check below still guards those.
  const errors = issues.filter((i) => i.severity === "error" && !lockedReason(i.path));
  if (!proposed || errors.length > 0) throw documentIssuesError(errors, "Invalid workspace");
  const after = editableWorkspace({
    ...proposed,
    metadata: { ...proposed.metadata, namespace: proposed.metadata.namespace || namespace },
  });

  const live = await getWorkspace(namespace, name, as);
  if (!live) throw new AppError("not_found", `Workspace ${namespace}/${name} no longer exists`);
  const before = editableWorkspace(live);
  const locked = immutableChanges(before, after);
  if (locked.length > 0) {
    const fieldErrors = Object.fromEntries(locked.map((f) => [f.path, [`${f.path} cannot be changed: ${f.reason}`]]));
    throw new AppError("invalid_input", `${locked[0].path} cannot be changed: ${locked[0].reason}`, { fieldErrors });
  }
  if (live.metadata.resourceVersion !== update.baseResourceVersion) {
    const { workspace: base } = validateWorkspaceDocument(update.baseYaml);
    if (!base || !sameValue(editableWorkspace(base), before)) throw conflictError(namespace, name);
  }

  const lastApplied = live.metadata.annotations?.["kubectl.kubernetes.io/last-applied-configuration"];
  const body: Workspace = {
    ...live,
    metadata: {
      ...live.metadata,
      labels: after.metadata.labels,
      annotations: {
        ...after.metadata.annotations,
        ...(lastApplied ? { "kubectl.kubernetes.io/last-applied-configuration": lastApplied } : {}),
      },
      managedFields: undefined,
    },
    resource: after.resource as Workspace["resource"],
    inference: after.inference as Workspace["inference"],
    tuning: after.tuning as Workspace["tuning"],
  };
  try {
    const updated = await (
      await getKubeClient()
    ).request<Workspace>({
      method: "PUT",
      path: workspacesPath(namespace, name, live.apiVersion.split("/")[1]),
      query: { fieldManager: FIELD_MANAGER, fieldValidation: "Strict" },
      body,
      as,
    });
    return { resourceVersion: updated.metadata.resourceVersion ?? "", before, after };
  } catch (error) {
    const mapped = mapKubeError(error, `update workspace ${namespace}/${name}`);
    if (mapped.code === "conflict") throw conflictError(namespace, name);
    throw mapped;
  }
}
