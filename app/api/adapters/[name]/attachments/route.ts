import { defineRoute, parseInput, readJson } from "@/server/actions/define-route";
import { adapterDeps } from "@/server/adapters/adapter-deps";
import { attachAdapter, describeAttach, detachAdapter } from "@/server/adapters/attach-adapter";
import { identityOf } from "@/server/workspaces/workspace-access";

import { attachSchema, detachSchema } from "./schema";

export const dynamic = "force-dynamic";

type Params = { name: string };

/** Attach (or re-weight) the adapter on a Workspace: `{ namespace, workspace, strength }`. */
export const POST = defineRoute<Params>(
  { permission: "adapter:write", action: "adapter.attach" },
  async (request, { params, audit, principal }) => {
    const input = parseInput(attachSchema, await readJson(request));
    audit.set({ target: { kind: "Workspace", namespace: input.namespace, name: input.workspace } });
    const change = await attachAdapter(
      { ...input, adapter: params.name, as: identityOf(principal!) },
      await adapterDeps(),
    );
    audit.set({ summary: describeAttach(params.name, input.strength, change), diff: change });
    return Response.json({ adapters: change.after });
  },
);

/** Detach: `{ namespace, workspace }`. */
export const DELETE = defineRoute<Params>(
  { permission: "adapter:write", action: "adapter.detach" },
  async (request, { params, audit, principal }) => {
    const input = parseInput(detachSchema, await readJson(request));
    audit.set({ target: { kind: "Workspace", namespace: input.namespace, name: input.workspace } });
    const change = await detachAdapter({ ...input, adapter: params.name, as: identityOf(principal!) });
    audit.set({ summary: `Detached adapter ${params.name}`, diff: change });
    return Response.json({ adapters: change.after });
  },
);
