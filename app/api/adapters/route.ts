import { defineRoute } from "@/server/actions/define-route";
import { adapterDeps } from "@/server/adapters/adapter-deps";
import { listAdapters } from "@/server/adapters/list-adapters";
import { identityOf } from "@/server/workspaces/workspace-access";

export const dynamic = "force-dynamic";

// POST /api/adapters (the upload) is a node:http fast path: server/adapters/adapter-upload-route.ts.
export const GET = defineRoute({ permission: "read" }, async (_request, { principal }) =>
  Response.json(await listAdapters({ ...(await adapterDeps()), as: identityOf(principal!) })),
);
