import { defineRoute } from "@/server/actions/define-route";
import { AppError } from "@/server/errors";
import { getWorkspaceDetail } from "@/server/workspaces/get-workspace-detail";
import { identityOf } from "@/server/workspaces/workspace-access";

export const dynamic = "force-dynamic";

/** Everything the detail page shows, refetched when the workspace's stream reports a change. */
export const GET = defineRoute<{ namespace: string; name: string }>(
  { permission: "read" },
  async (_request, { params, principal }) => {
    const detail = await getWorkspaceDetail(params.namespace, params.name, identityOf(principal!));
    if (!detail) throw new AppError("not_found", `Workspace ${params.namespace}/${params.name} does not exist`);
    return Response.json(detail);
  },
);
