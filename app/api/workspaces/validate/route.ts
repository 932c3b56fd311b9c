import { z } from "zod";

import { defineRoute, parseInput } from "@/server/actions/define-route";
import { validateWorkspaceDocument } from "@/server/workspaces/validate-workspace-document";

export const dynamic = "force-dynamic";

// A read: validation changes nothing, so it is a GET and leaves no audit event per keystroke.
const query = z.object({ yaml: z.string().max(8000, "Documents over 8,000 characters are validated on submit only") });

/** Live validation for the create page's editor: problems with field path and YAML line. */
export const GET = defineRoute({ permission: "read" }, (request) => {
  const { yaml } = parseInput(query, Object.fromEntries(new URL(request.url).searchParams));
  const { issues } = validateWorkspaceDocument(yaml);
  return Response.json({ issues });
});
