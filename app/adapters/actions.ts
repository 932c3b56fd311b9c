"use server";

import { defineAction } from "@/server/actions/define-action";
import { adapterDeps } from "@/server/adapters/adapter-deps";
import { attachAdapter, describeAttach, detachAdapter } from "@/server/adapters/attach-adapter";
import { deleteAdapter } from "@/server/adapters/delete-adapter";
import { identityOf } from "@/server/workspaces/workspace-access";

import { attachInput, deleteInput, detachInput } from "./schema";

export const attachAdapterAction = defineAction({
  action: "adapter.attach",
  permission: "adapter:write",
  // override: the Workspace's name, typed to attach across a base-model mismatch.
  schema: attachInput,
  target: (input) => ({ kind: "Workspace", namespace: input.namespace, name: input.workspace }),
  run: async (input, { audit, principal }) => {
    const change = await attachAdapter({ ...input, as: identityOf(principal) }, await adapterDeps());
    audit.set({ summary: describeAttach(input.adapter, input.strength, change), diff: change });
    return { adapters: change.after.length };
  },
});

export const detachAdapterAction = defineAction({
  action: "adapter.detach",
  permission: "adapter:write",
  schema: detachInput,
  target: (input) => ({ kind: "Workspace", namespace: input.namespace, name: input.workspace }),
  run: async (input, { audit, principal }) => {
    const change = await detachAdapter({ ...input, as: identityOf(principal) });
    audit.set({ summary: `Detached adapter ${input.adapter}`, diff: change });
    return { adapters: change.after.length };
  },
});

export const deleteAdapterAction = defineAction({
  action: "adapter.delete",
  permission: "adapter:write",
  schema: deleteInput,
  target: (input) => ({ kind: "Adapter", name: input.name }),
  run: async (input) => {
    await deleteAdapter(input.name);
    return { deleted: input.name };
  },
});
