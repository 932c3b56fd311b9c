"use server";

import { z } from "zod";

import { isDnsLabel, isDnsSubdomain } from "@/lib/kaito/names";
import { defineAction } from "@/server/actions/define-action";
import { AppError } from "@/server/errors";
import type { AdapterSpec } from "@/server/kube/types/workspace";
import { deleteWorkspace } from "@/server/workspaces/delete-workspace";
import { updateWorkspaceAdapters } from "@/server/workspaces/update-workspace-adapters";
import { identityOf } from "@/server/workspaces/workspace-access";

const dnsLabel = z.string().refine(isDnsLabel, "not a valid name");
const target = (input: { namespace: string; name: string }) => ({
  kind: "Workspace",
  namespace: input.namespace,
  name: input.name,
});

/** Delete with a typed confirmation; checked here too, so a forged call cannot skip it. */
export const deleteWorkspaceAction = defineAction({
  action: "workspace.delete",
  permission: "workspace:write",
  schema: z.object({ namespace: dnsLabel, name: dnsLabel, confirmation: z.string() }),
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

const adapter = z.object({
  source: z.object({
    name: z.string().refine(isDnsSubdomain, "adapter name must be a DNS-1123 subdomain"),
    image: z.string().min(1).max(512),
  }),
  strength: z
    .string()
    .regex(/^(0(\.\d+)?|1(\.0+)?)$/, "strength is a number from 0 to 1")
    .optional(),
});

/** Replace the adapter list — the one part of an inference workspace that may change. */
export const updateAdaptersAction = defineAction({
  action: "workspace.update",
  permission: "workspace:write",
  schema: z.object({
    namespace: dnsLabel,
    name: dnsLabel,
    // The list the editor started from: a change by someone else since then is refused, not overwritten.
    // Compared as sent (pull secrets and all), so it is not narrowed to the fields an editor sets.
    base: z.array(z.looseObject({ source: z.looseObject({ name: z.string() }) })).max(10),
    adapters: z.array(adapter).max(10, "at most 10 adapters"),
  }),
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
