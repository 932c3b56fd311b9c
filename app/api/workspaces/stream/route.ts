import { defineRoute } from "@/server/actions/define-route";
import { openWorkspaceStream } from "@/server/workspaces/open-workspace-stream";
import { identityOf } from "@/server/workspaces/workspace-access";

export const dynamic = "force-dynamic";

/** Server-sent events of workspace rows from the web process's one watch cache. `?key=ns/name` narrows to one. */
export const GET = defineRoute({ permission: "read" }, (request, { principal }) => {
  const key = new URL(request.url).searchParams.get("key") ?? undefined;
  return openWorkspaceStream(request.signal, identityOf(principal!), key);
});
