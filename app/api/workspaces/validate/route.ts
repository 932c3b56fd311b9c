import { defineRoute, parseInput } from "@/server/actions/define-route";
import { validateCreateDocument } from "@/server/workspaces/validate-create-document";

import { validateQuery } from "./schema";

export const dynamic = "force-dynamic";

// A read: validation changes nothing, so it is a GET and leaves no audit event per keystroke.
/** Live validation for the create page's editor (a Workspace or an InferenceSet): problems with field path and YAML line. */
export const GET = defineRoute({ permission: "read" }, (request) => {
  const { yaml } = parseInput(validateQuery, Object.fromEntries(new URL(request.url).searchParams));
  return Response.json({ issues: validateCreateDocument(yaml) });
});
