import "server-only";

import type { AuditAction, AuditTarget } from "@/server/audit/audit-event";

/** What a mutation tells the audit trail about itself while it runs. */
export type AuditDetails = { summary?: string; diff?: unknown; target?: AuditTarget };

export type AuditRecorder = {
  /** Adds to (or overrides) the summary, diff and target of the event written for this call. */
  set(details: AuditDetails): void;
};

export function createAuditRecorder(): AuditRecorder & { details: AuditDetails } {
  const details: AuditDetails = {};
  return {
    details,
    set(next) {
      if (next.summary !== undefined) details.summary = next.summary;
      if (next.diff !== undefined) details.diff = next.diff;
      if (next.target !== undefined) details.target = { ...details.target, ...next.target };
    },
  };
}

/** Marks builder output so the authorization-matrix test can see how an export was made. */
export const ACCESS_META = Symbol.for("kaito-dashboard.access");
export type AccessMeta = { kind: "action" | "route"; access: string; action?: AuditAction };
