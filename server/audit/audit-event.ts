import "server-only";

export const AUDIT_OUTCOMES = ["succeeded", "denied", "failed"] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

export type AuditTarget = { kind?: string; namespace?: string | null; name?: string | null };

/** Where a request came from, for the audit trail. */
export type RequestContext = { requestId: string; ip: string | null; userAgent: string | null };

export type AuditEventInput = {
  /** `resource.verb`, e.g. `workspace.create`, `auth.login`. */
  action: string;
  outcome: AuditOutcome;
  summary: string;
  /** The caller; null for anonymous attempts (failed logins, denied anonymous calls). */
  actor: { userId?: string | null; email?: string | null; tokenId?: string | null } | null;
  target?: AuditTarget;
  /** What changed: `{ before, after }` or a field-level `{ field: [old, new] }` map. */
  diff?: unknown;
  context?: Partial<RequestContext>;
  occurredAt?: Date;
};

export const ACTION_PATTERN = /^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)+$/;
