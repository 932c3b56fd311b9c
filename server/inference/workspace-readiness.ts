import "server-only";

import { ConditionType } from "@/lib/kaito/conditions";

import type { InferenceWorkspace } from "./inference-types";

export type Readiness = { ok: true } | { ok: false; reason: string };

/** Only an inference Workspace whose InferenceReady is True and that is not being deleted takes traffic. */
export function checkInferenceReady(ws: InferenceWorkspace): Readiness {
  if (!ws.inference) return { ok: false, reason: "is a tuning workspace and serves no inference API" };
  if (ws.metadata.deletionTimestamp) return { ok: false, reason: "is being deleted" };
  const ready = ws.status?.conditions?.find((c) => c.type === ConditionType.InferenceReady);
  if (ready?.status !== "True")
    return { ok: false, reason: "is not ready for inference yet (InferenceReady is not True)" };
  return { ok: true };
}
