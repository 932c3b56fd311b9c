import { defineRoute } from "@/server/actions/define-route";
import { adapterDeps } from "@/server/adapters/adapter-deps";
import { AdapterError } from "@/server/adapters/adapter-error";
import { deleteAdapter } from "@/server/adapters/delete-adapter";
import { getAdapter } from "@/server/adapters/list-adapters";
import { identityOf } from "@/server/workspaces/workspace-access";

export const dynamic = "force-dynamic";

type Params = { name: string };

export const GET = defineRoute<Params>({ permission: "read" }, async (_request, { params, principal }) => {
  const adapter = await getAdapter(params.name, { ...(await adapterDeps()), as: identityOf(principal!) });
  if (!adapter) throw new AdapterError("not_found", `There is no adapter named ${params.name}`);
  return Response.json({ adapter });
});

export const DELETE = defineRoute<Params>(
  { permission: "adapter:write", action: "adapter.delete", target: (p) => ({ kind: "Adapter", name: p.name }) },
  async (_request, { params, audit }) => {
    await deleteAdapter(params.name);
    audit.set({ summary: `Deleted adapter ${params.name}` });
    return new Response(null, { status: 204 });
  },
);
