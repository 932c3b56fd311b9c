"use server";

import { z } from "zod";

import { DNS_LABEL_MESSAGE, isDnsLabel } from "@/lib/kaito/names";
import { defineAction } from "@/server/actions/define-action";
import { createNamespace } from "@/server/workspaces/create-namespace";
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

/**
 * A namespace for new Workspaces, offered on the create form when the one typed is missing to
 * dashboard admins whom Kubernetes also lets create namespaces; created as them.
 */
export const createNamespaceAction = defineAction({
  action: "namespace.create",
  permission: "admin",
  schema: z.object({
    name: z.string().refine(isDnsLabel, `A namespace name ${DNS_LABEL_MESSAGE}`),
  }),
  target: ({ name }) => ({ kind: "Namespace", name }),
  run: async ({ name }, { audit, principal }) => {
    await createNamespace(name, identityOf(principal));
    audit.set({ summary: `Created namespace ${name}` });
    return { name };
  },
});
