"use server";

import { z } from "zod";

import { isDnsLabel } from "@/lib/kaito/names";
import { defineAction } from "@/server/actions/define-action";
import { updateWorkspace } from "@/server/workspaces/update-workspace";
import { identityOf } from "@/server/workspaces/workspace-access";

const dnsLabel = z.string().refine(isDnsLabel, "not a valid name");
const document = z.string().min(1, "The document is empty").max(100_000, "The document is too long");

/** Apply an edit of a live Workspace: the edited document, and the one it started from for the conflict check. */
export const updateWorkspaceAction = defineAction({
  action: "workspace.update",
  permission: "workspace:write",
  schema: z.object({
    namespace: dnsLabel,
    name: dnsLabel,
    yaml: document,
    baseYaml: document,
    baseResourceVersion: z.string().min(1),
  }),
  target: ({ namespace, name }) => ({ kind: "Workspace", namespace, name }),
  run: async (input, { audit, principal }) => {
    const { resourceVersion, before, after } = await updateWorkspace(input, identityOf(principal));
    audit.set({ summary: `Edited workspace ${input.namespace}/${input.name}`, diff: { before, after } });
    return { resourceVersion };
  },
});
