"use server";

import { defineAction } from "@/server/actions/define-action";
import { updateWorkspace } from "@/server/workspaces/update-workspace";
import { identityOf } from "@/server/workspaces/workspace-access";

import { updateWorkspaceInput } from "../../../schema";

/** Apply an edit of a live Workspace: the edited document, and the one it started from for the conflict check. */
export const updateWorkspaceAction = defineAction({
  action: "workspace.update",
  permission: "workspace:write",
  schema: updateWorkspaceInput,
  target: ({ namespace, name }) => ({ kind: "Workspace", namespace, name }),
  run: async (input, { audit, principal }) => {
    const { resourceVersion, before, after } = await updateWorkspace(input, identityOf(principal));
    audit.set({ summary: `Edited workspace ${input.namespace}/${input.name}`, diff: { before, after } });
    return { resourceVersion };
  },
});
