"use server";

import { defineAction } from "@/server/actions/define-action";
import { createInferenceSetFromYaml } from "@/server/inferencesets/create-inferenceset-from-yaml";
import { createNamespace } from "@/server/workspaces/create-namespace";
import { createWorkspaceFromYaml } from "@/server/workspaces/create-workspace-from-yaml";
import { identityOf } from "@/server/workspaces/workspace-access";

import { createInferenceSetInput, createNamespaceInput, createWorkspaceInput } from "../schema";

/** Create from the form or the editor: both submit the YAML the user sees. */
export const createWorkspaceAction = defineAction({
  action: "workspace.create",
  permission: "workspace:write",
  schema: createWorkspaceInput,
  target: () => ({ kind: "Workspace" }),
  run: ({ yaml }, { audit, principal }) => createWorkspaceFromYaml(yaml, audit, identityOf(principal)),
});

/** The same page with kind InferenceSet: the same role, the person's own RBAC, its own audit action. */
export const createInferenceSetAction = defineAction({
  action: "inferenceset.create",
  permission: "workspace:write",
  schema: createInferenceSetInput,
  target: () => ({ kind: "InferenceSet" }),
  run: ({ yaml }, { audit, principal }) => createInferenceSetFromYaml(yaml, audit, identityOf(principal)),
});

/**
 * A namespace for new Workspaces, offered on the create form when the one typed is missing to
 * dashboard admins whom Kubernetes also lets create namespaces; created as them.
 */
export const createNamespaceAction = defineAction({
  action: "namespace.create",
  permission: "admin",
  schema: createNamespaceInput,
  target: ({ name }) => ({ kind: "Namespace", name }),
  run: async ({ name }, { audit, principal }) => {
    await createNamespace(name, identityOf(principal));
    audit.set({ summary: `Created namespace ${name}` });
    return { name };
  },
});
