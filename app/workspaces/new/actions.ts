"use server";

import { z } from "zod";

import { defineAction } from "@/server/actions/define-action";
import { createWorkspaceFromYaml } from "@/server/workspaces/create-workspace-from-yaml";
import { identityOf } from "@/server/workspaces/workspace-access";

/** Create from the form or the editor: both submit the YAML the user sees. */
export const createWorkspaceAction = defineAction({
  action: "workspace.create",
  permission: "workspace:write",
  schema: z.object({ yaml: z.string().min(1, "The document is empty").max(100_000, "The document is too long") }),
  target: () => ({ kind: "Workspace" }),
  run: ({ yaml }, { audit, principal }) => createWorkspaceFromYaml(yaml, audit, identityOf(principal)),
});
