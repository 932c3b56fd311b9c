import "server-only";

import type { AuthConfig } from "./config";
import type { Role } from "./permissions";

/**
 * The role an OpenID Connect identity gets from its claims: the configured claim (default
 * `groups`; a dotted path reaches nested claims such as `realm_access.roles`) is compared with
 * the admin, operator and viewer value lists, the highest match wins; otherwise OIDC_DEFAULT_ROLE
 * (null = refuse sign-in).
 */
export function mapOidcRole(
  claims: Record<string, unknown>,
  config: Pick<
    AuthConfig,
    "OIDC_ROLE_CLAIM" | "OIDC_ADMIN_VALUES" | "OIDC_OPERATOR_VALUES" | "OIDC_VIEWER_VALUES" | "OIDC_DEFAULT_ROLE"
  >,
): Role | null {
  const values = new Set(readClaimValues(claims, config.OIDC_ROLE_CLAIM));
  if (config.OIDC_ADMIN_VALUES.some((v) => values.has(v))) return "admin";
  if (config.OIDC_OPERATOR_VALUES.some((v) => values.has(v))) return "operator";
  if (config.OIDC_VIEWER_VALUES.some((v) => values.has(v))) return "viewer";
  return config.OIDC_DEFAULT_ROLE === "none" ? null : config.OIDC_DEFAULT_ROLE;
}

/** The values of a claim as strings; a dotted path reaches nested claims, a single value is a list of one. */
export function readClaimValues(claims: Record<string, unknown>, claimPath: string): string[] {
  let value: unknown = claims;
  for (const key of claimPath.split(".")) value = (value as Record<string, unknown> | null)?.[key];
  return (Array.isArray(value) ? value : value == null ? [] : [value]).map(String);
}

// Kubernetes group names are free-form, but an identity provider's claim is untrusted input that
// ends up in a request header on every call: keep it to what a real directory sends.
const MAX_GROUPS = 200;
const MAX_GROUP_LENGTH = 256;

/** The provider's groups that the user acts in on Kubernetes (OIDC_GROUPS_CLAIM), deduplicated and bounded. */
export function oidcGroupsOf(claims: Record<string, unknown>, config: Pick<AuthConfig, "OIDC_GROUPS_CLAIM">): string[] {
  const groups = readClaimValues(claims, config.OIDC_GROUPS_CLAIM).filter(
    (group) => group.length > 0 && group.length <= MAX_GROUP_LENGTH && !/[\r\n]/.test(group),
  );
  return [...new Set(groups)].slice(0, MAX_GROUPS);
}
