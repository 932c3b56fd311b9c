import { z } from "zod";

import { DNS_LABEL_MESSAGE, isDnsLabel, isDnsSubdomain } from "@/lib/kaito/names";

// The inputs of the Workspace server actions ("use server" modules may export only actions).
const dnsLabel = z.string().refine(isDnsLabel, "not a valid name");
const document = z.string().min(1, "The document is empty").max(100_000, "The document is too long");

export const createWorkspaceInput = z.object({ yaml: document });
export const createInferenceSetInput = z.object({ yaml: document });

export const createNamespaceInput = z.object({
  name: z.string().refine(isDnsLabel, `A namespace name ${DNS_LABEL_MESSAGE}`),
});

/** An edit of a live Workspace: the edited document, and the one it started from for the conflict check. */
export const updateWorkspaceInput = z.object({
  namespace: dnsLabel,
  name: dnsLabel,
  yaml: document,
  baseYaml: document,
  baseResourceVersion: z.string().min(1),
});

export const deleteWorkspaceInput = z.object({ namespace: dnsLabel, name: dnsLabel, confirmation: z.string() });

const adapter = z.object({
  source: z.object({
    name: z.string().refine(isDnsSubdomain, "adapter name must be a DNS-1123 subdomain"),
    image: z.string().min(1).max(512),
  }),
  strength: z
    .string()
    .regex(/^(0(\.\d+)?|1(\.0+)?)$/, "strength is a number from 0 to 1")
    .optional(),
});

export const updateAdaptersInput = z.object({
  namespace: dnsLabel,
  name: dnsLabel,
  // The list the editor started from: a change by someone else since then is refused, not overwritten.
  // Compared as sent (pull secrets and all), so it is not narrowed to the fields an editor sets.
  base: z.array(z.looseObject({ source: z.looseObject({ name: z.string() }) })).max(10),
  adapters: z.array(adapter).max(10, "at most 10 adapters"),
});
