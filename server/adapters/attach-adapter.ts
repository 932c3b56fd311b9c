import "server-only";

import type { PrismaClient } from "@/server/db/client";
import { getKubeClient } from "@/server/kube/get-kube-client";
import type { KubeIdentity } from "@/server/kube/kube-client";
import { workspacesPath } from "@/server/kube/kube-paths";
import { mapKubeError } from "@/server/kube/map-kube-error";
import type { AdapterSpec, Workspace } from "@/server/kube/types/workspace";
import { updateWorkspaceAdapters } from "@/server/workspaces/update-workspace-adapters";
import { AdapterError } from "./adapter-error";
import { adapterImageReference } from "./adapter-record";
import { compareBaseModels, type BaseModelMatch } from "./base-model-compatibility";
import type { AdapterSettings } from "./config";

/** Kaito's limit on `inference.adapters`. */
export const MAX_ADAPTERS_PER_WORKSPACE = 10;

export type AdapterListChange = { before: AdapterSpec[]; after: AdapterSpec[] };

/** Recorded in the audit event when an adapter was attached to a model it was not trained on. */
export type BaseModelOverride = { adapterBaseModel: string; workspaceModel: string | null; match: BaseModelMatch };

export type AttachChange = AdapterListChange & { baseModelOverride?: BaseModelOverride };

/** The audit summary of an attach, saying so when the user overrode a base-model mismatch. */
export function describeAttach(adapter: string, strength: number, change: AttachChange): string {
  const o = change.baseModelOverride;
  return `Attached adapter ${adapter} at strength ${strength}${
    o
      ? ` although it was trained on ${o.adapterBaseModel} and the Workspace serves ${o.workspaceModel ?? "a custom model"} (confirmed by typing the Workspace's name)`
      : ""
  }`;
}

/** The Workspace, and who the read and the patch are sent as. */
type Target = { namespace: string; workspace: string; as: KubeIdentity };

/** Kaito's strength is a decimal string in [0, 1], written like its examples ("1.0", "0.25"). */
export function formatStrength(strength: number): string {
  if (!(strength >= 0 && strength <= 1))
    throw new AdapterError("invalid_input", "Strength must be between 0 and 1", "strength");
  const text = String(Math.round(strength * 100) / 100);
  return text.includes(".") ? text : `${text}.0`;
}

/**
 * Adds the adapter to the Workspace (or updates its strength when already there). One merge
 * patch carrying the resourceVersion read here: a concurrent edit makes it fail with a conflict
 * instead of being overwritten, and the list is never half-written.
 */
export async function attachAdapter(
  target: Target & { adapter: string; strength: number; override?: string },
  deps: { db: PrismaClient; settings: AdapterSettings },
): Promise<AttachChange> {
  const row = await deps.db.adapter.findUnique({ where: { name: target.adapter } });
  if (!row) throw new AdapterError("not_found", `There is no adapter named ${target.adapter}`, "adapter");
  const workspace = await readWorkspace(target);
  // Checked here, not only in the picker: a LoRA on another base model fails to load or quietly
  // degrades answers, so it takes the user's typed confirmation, whoever the caller is (#16).
  const workspaceModel = workspace.inference!.preset?.name ?? null;
  const match = compareBaseModels(row.baseModel, workspaceModel);
  if (match !== "same" && target.override !== target.workspace) {
    throw new AdapterError(
      "conflict",
      `${row.name} was trained on ${row.baseModel}, but ${target.namespace}/${target.workspace} ${
        workspaceModel ? `serves ${workspaceModel}` : "runs a custom model whose base cannot be checked"
      }. To attach it anyway, confirm by typing the Workspace's name (${target.workspace}).`,
      "override",
    );
  }
  const before = workspace.inference!.adapters ?? [];
  const entry: AdapterSpec = {
    source: {
      name: row.name,
      image: adapterImageReference(deps.settings.pullHost, row.repository, row.digest),
      ...(deps.settings.pullSecret ? { imagePullSecrets: [deps.settings.pullSecret] } : {}),
    },
    strength: formatStrength(target.strength),
  };
  const existing = before.findIndex((a) => a.source.name === row.name);
  const after = existing === -1 ? [...before, entry] : before.map((a, i) => (i === existing ? entry : a));
  if (after.length > MAX_ADAPTERS_PER_WORKSPACE) {
    throw new AdapterError(
      "conflict",
      `${target.namespace}/${target.workspace} already has ${MAX_ADAPTERS_PER_WORKSPACE} adapters, the most Kaito allows`,
      "workspace",
    );
  }
  await updateWorkspaceAdapters(target.namespace, target.workspace, after, before, target.as);
  return match === "same"
    ? { before, after }
    : { before, after, baseModelOverride: { adapterBaseModel: row.baseModel, workspaceModel, match } };
}

export async function detachAdapter(target: Target & { adapter: string }): Promise<AdapterListChange> {
  const workspace = await readWorkspace(target);
  const before = workspace.inference!.adapters ?? [];
  const after = before.filter((a) => a.source.name !== target.adapter);
  if (after.length === before.length) {
    throw new AdapterError(
      "not_found",
      `${target.adapter} is not attached to ${target.namespace}/${target.workspace}`,
      "adapter",
    );
  }
  await updateWorkspaceAdapters(target.namespace, target.workspace, after, before, target.as);
  return { before, after };
}

async function readWorkspace({ namespace, workspace, as }: Target): Promise<Workspace> {
  let object: Workspace;
  try {
    object = await (
      await getKubeClient()
    ).request<Workspace>({
      method: "GET",
      path: workspacesPath(namespace, workspace),
      as,
    });
  } catch (error) {
    throw mapKubeError(error, `read workspace ${namespace}/${workspace}`);
  }
  if (!object.inference) {
    throw new AdapterError(
      "conflict",
      `${namespace}/${workspace} is a tuning workspace; adapters attach to inference workspaces`,
      "workspace",
    );
  }
  return object;
}
