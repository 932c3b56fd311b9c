"use server";

import { z } from "zod";

import { defineAction } from "@/server/actions/define-action";
import { attachAdapter, describeAttach, detachAdapter } from "@/server/adapters/attach-adapter";
import { adapterSettings } from "@/server/adapters/config";
import { deleteAdapter } from "@/server/adapters/delete-adapter";
import { getDb } from "@/server/db/client";
import { identityOf } from "@/server/workspaces/workspace-access";

const target = z.object({
  adapter: z.string().min(1).max(63),
  namespace: z.string().min(1).max(63),
  workspace: z.string().min(1).max(253),
});

export const attachAdapterAction = defineAction({
  action: "adapter.attach",
  permission: "adapter:write",
  // override: the Workspace's name, typed to attach across a base-model mismatch.
  schema: target.extend({ strength: z.number().min(0).max(1), override: z.string().max(253).optional() }),
  target: (input) => ({ kind: "Workspace", namespace: input.namespace, name: input.workspace }),
  run: async (input, { audit, principal }) => {
    const change = await attachAdapter(
      { ...input, as: identityOf(principal) },
      { db: await getDb(), settings: adapterSettings() },
    );
    audit.set({ summary: describeAttach(input.adapter, input.strength, change), diff: change });
    return { adapters: change.after.length };
  },
});

export const detachAdapterAction = defineAction({
  action: "adapter.detach",
  permission: "adapter:write",
  schema: target,
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
  schema: z.object({ name: z.string().min(1).max(63) }),
  target: (input) => ({ kind: "Adapter", name: input.name }),
  run: async (input) => {
    await deleteAdapter(input.name, { db: await getDb(), settings: adapterSettings() });
    return { deleted: input.name };
  },
});
