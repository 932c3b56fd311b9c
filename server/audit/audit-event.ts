import "server-only";

export const AUDIT_OUTCOMES = ["succeeded", "denied", "failed"] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

export type AuditTarget = { kind?: string; namespace?: string | null; name?: string | null };

/** Where a request came from, for the audit trail. */
export type RequestContext = { requestId: string; ip: string | null; userAgent: string | null };

/**
 * Every action the audit trail knows, as `resource.verb`. A typed union so that a misspelt name
 * fails the typecheck instead of starting a new, unfiltered kind of event; the audit page's
 * action filter offers the same list.
 */
export const AUDIT_ACTIONS = [
  "auth.login",
  "auth.logout",
  "user.create",
  "user.update",
  "user.change-password",
  "user.sign-out-everywhere",
  "token.create",
  "token.revoke",
  "settings.update",
  "anonymous.refused",
  "namespace.create",
  "workspace.create",
  "workspace.update",
  "workspace.delete",
  "inferenceset.create",
  "inferenceset.scale",
  "adapter.upload",
  "adapter.delete",
  "adapter.attach",
  "adapter.detach",
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export type AuditEventInput = {
  action: AuditAction;
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
