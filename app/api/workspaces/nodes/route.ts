import { z } from "zod";

import { defineRoute, parseInput } from "@/server/actions/define-route";
import { listMatchingNodes } from "@/server/workspaces/list-matching-nodes";

export const dynamic = "force-dynamic";

const LABEL = /^[A-Za-z0-9][-A-Za-z0-9_./]{0,252}=[-A-Za-z0-9_.]{0,63}$/;
const query = z.object({
  labels: z
    .string()
    .max(2000)
    .refine(
      (v) => v.split(",").every((pair) => LABEL.test(pair)),
      "labels must be key=value pairs separated by commas",
    ),
  instanceType: z
    .string()
    .max(100)
    .regex(/^[-A-Za-z0-9_.]*$/, "not an instance type")
    .optional(),
});

/** Nodes matching a label selector (and instance type), for the create form's existing-node picker. */
export const GET = defineRoute({ permission: "read" }, async (request) => {
  const { labels, instanceType } = parseInput(query, Object.fromEntries(new URL(request.url).searchParams));
  const matchLabels = Object.fromEntries(labels.split(",").map((pair) => pair.split("=") as [string, string]));
  return Response.json({ nodes: await listMatchingNodes(matchLabels, instanceType || undefined) });
});
