import "server-only";

import { createHash } from "node:crypto";

import { FIELD_MANAGER } from "@/lib/kaito/api";

/** Ours: the hash of the object as we last rendered it, so an unchanged object is not re-applied. */
export const ANNOTATION_APPLIED_HASH = "kaito-dashboard.dev/applied-hash";

type Meta = {
  annotations?: Record<string, string>;
  managedFields?: { manager?: string; subresource?: string; fieldsV1?: unknown }[];
};

export function withAppliedHash<T extends { metadata?: Meta }>(desired: T): T {
  const hash = createHash("sha256").update(JSON.stringify(desired)).digest("hex").slice(0, 16);
  return {
    ...desired,
    metadata: {
      ...desired.metadata,
      annotations: { ...desired.metadata?.annotations, [ANNOTATION_APPLIED_HASH]: hash },
    },
  };
}

/**
 * Whether `desired` (already stamped by withAppliedHash) must be applied over `observed`:
 * it is missing, we rendered something different since, or someone else took ownership of
 * part of its spec (a `kubectl edit` or `scale`): that is drift, and applying repairs it.
 * Skipping no-op applies keeps the apiserver writes per Workspace low at scale.
 */
export function needsApply(desired: { metadata?: Meta }, observed: { metadata?: Meta } | undefined): boolean {
  if (!observed) return true;
  const want = desired.metadata?.annotations?.[ANNOTATION_APPLIED_HASH];
  if (observed.metadata?.annotations?.[ANNOTATION_APPLIED_HASH] !== want) return true;
  return (observed.metadata?.managedFields ?? []).some((entry) => {
    if (entry.manager === FIELD_MANAGER || entry.subresource) return false;
    const fields = entry.fieldsV1 as Record<string, unknown> | undefined;
    return !!fields && ("f:spec" in fields || "f:metadata" in fields);
  });
}
