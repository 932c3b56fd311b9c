"use server";

import { z } from "zod";

import { isDnsLabel } from "@/lib/kaito/names";
import { defineAction } from "@/server/actions/define-action";
import { scaleInferenceSet } from "@/server/inferencesets/scale-inferenceset";
import { identityOf } from "@/server/workspaces/workspace-access";

const dnsLabel = z.string().refine(isDnsLabel, "not a valid name");

/** Change the replica count (the scale subresource, as the person), audited with before and after. */
export const scaleInferenceSetAction = defineAction({
  action: "inferenceset.scale",
  permission: "workspace:write",
  schema: z.object({
    namespace: dnsLabel,
    name: dnsLabel,
    replicas: z.coerce.number().int("a whole number").min(0, "at least 0").max(1000, "at most 1000"),
  }),
  target: (input) => ({ kind: "InferenceSet", namespace: input.namespace, name: input.name }),
  run: async ({ namespace, name, replicas }, { audit, principal }) => {
    const { before, after } = await scaleInferenceSet(namespace, name, replicas, identityOf(principal));
    audit.set({
      summary: `Scaled inferenceset ${namespace}/${name} from ${before} to ${after} replicas`,
      diff: { before: { replicas: before }, after: { replicas: after } },
    });
    return { replicas: after };
  },
});
