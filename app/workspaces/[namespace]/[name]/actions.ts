"use server";

import { defineAction } from "@/server/actions/define-action";
import { AppError } from "@/server/errors";
import type { AdapterSpec } from "@/server/kube/types/workspace";
import { deleteWorkspace } from "@/server/workspaces/delete-workspace";
import { updateWorkspaceAdapters } from "@/server/workspaces/update-workspace-adapters";
import { identityOf } from "@/server/workspaces/workspace-access";

import { deleteWorkspaceInput, updateAdaptersInput } from "../../schema";

const target = (input: { namespace: string; name: string }) => ({
  kind: "Workspace",
  namespace: input.namespace,
  name: input.name,
});

/** Delete with a typed confirmation; checked here too, so a forged call cannot skip it. */
export const deleteWorkspaceAction = defineAction({
  action: "workspace.delete",
  permission: "workspace:write",
  schema: deleteWorkspaceInput,
  target,
  run: async ({ namespace, name, confirmation }, { audit, principal }) => {
    if (confirmation !== name)
      throw new AppError("invalid_input", `Type the workspace name "${name}" to confirm`, {
        fieldErrors: { confirmation: ["does not match the name"] },
      });
    await deleteWorkspace(namespace, name, identityOf(principal));
    audit.set({ summary: `Deleted workspace ${namespace}/${name}` });
    return { namespace, name };
  },
});

/** Replace the adapter list — the one part of an inference workspace that may change. */
export const updateAdaptersAction = defineAction({
  action: "workspace.update",
  permission: "workspace:write",
  schema: updateAdaptersInput,
  target,
  run: async ({ namespace, name, base, adapters }, { audit, principal }) => {
    const names = adapters.map((a) => a.source.name);
    if (new Set(names).size !== names.length)
      throw new AppError("invalid_input", "Adapter names must be unique", {
        fieldErrors: { adapters: ["duplicate name"] },
      });
    const updated = await updateWorkspaceAdapters(
      namespace,
      name,
      adapters,
      base as AdapterSpec[],
      identityOf(principal),
    );
    audit.set({
      summary: `Set ${adapters.length} adapter(s) on ${namespace}/${name}`,
      diff: { before: { adapters: base }, after: { adapters } },
    });
    return { resourceVersion: updated.metadata.resourceVersion ?? "" };
  },
});
