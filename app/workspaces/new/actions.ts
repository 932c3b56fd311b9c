"use server";

import { z } from "zod";

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
    name: z
      .string()
      .max(63, "A namespace name is at most 63 characters")
      .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, "A namespace name is a DNS-1123 label: a-z, 0-9 and '-'"),
  }),
  target: ({ name }) => ({ kind: "Namespace", name }),
  run: async ({ name }, { audit, principal }) => {
    await createNamespace(name, identityOf(principal));
    audit.set({ summary: `Created namespace ${name}` });
    return { name };
  },
});
