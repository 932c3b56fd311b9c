import { defineRoute, parseInput } from "@/server/actions/define-route";
import { listMatchingNodes } from "@/server/workspaces/list-matching-nodes";

import { nodesQuery } from "./schema";

export const dynamic = "force-dynamic";

/** Nodes matching a label selector (and instance type), for the create form's existing-node picker. */
export const GET = defineRoute({ permission: "read" }, async (request) => {
  const { labels, instanceType } = parseInput(nodesQuery, Object.fromEntries(new URL(request.url).searchParams));
  const matchLabels = Object.fromEntries(labels.split(",").map((pair) => pair.split("=") as [string, string]));
  return Response.json({ nodes: await listMatchingNodes(matchLabels, instanceType || undefined) });
});
