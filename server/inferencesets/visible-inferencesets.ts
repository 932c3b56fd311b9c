import "server-only";

import { KAITO_GROUP } from "@/lib/kaito/api";
import { INFERENCESET_PLURAL } from "@/lib/kaito/inferenceset";
import { createAccessReviewer, type AccessReviewer } from "@/server/kube/access-review";
import { getKubeClient } from "@/server/kube/get-kube-client";
import type { KubeIdentity } from "@/server/kube/kube-client";

import type { InferenceSetRow } from "./summarize-inferenceset";

const globalForAccess = globalThis as unknown as { inferenceSetAccess?: Promise<AccessReviewer> };

function reviewer(): Promise<AccessReviewer> {
  globalForAccess.inferenceSetAccess ??= getKubeClient().then((client) => createAccessReviewer(client));
  return globalForAccess.inferenceSetAccess;
}

/**
 * The rows of the watch cache this person may list, asked of the apiserver's authorizer as them
 * (cluster-wide first, then per namespace; answers cached for a while, as for Workspaces).
 */
export async function visibleInferenceSets(as: KubeIdentity, rows: InferenceSetRow[]): Promise<InferenceSetRow[]> {
  if (rows.length === 0) return rows;
  const reviews = await reviewer();
  const attributes = { verb: "list", group: KAITO_GROUP, resource: INFERENCESET_PLURAL };
  if ((await reviews.review(as, attributes)).allowed) return rows;
  const namespaces = [...new Set(rows.map((r) => r.namespace))];
  const answers = await Promise.all(namespaces.map((namespace) => reviews.review(as, { ...attributes, namespace })));
  const allowed = new Set(namespaces.filter((_, i) => answers[i].allowed));
  return rows.filter((r) => allowed.has(r.namespace));
}
