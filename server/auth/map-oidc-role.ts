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
  let value: unknown = claims;
  for (const key of config.OIDC_ROLE_CLAIM.split(".")) value = (value as Record<string, unknown> | null)?.[key];
  const values = new Set((Array.isArray(value) ? value : value == null ? [] : [value]).map(String));
  if (config.OIDC_ADMIN_VALUES.some((v) => values.has(v))) return "admin";
  if (config.OIDC_OPERATOR_VALUES.some((v) => values.has(v))) return "operator";
  if (config.OIDC_VIEWER_VALUES.some((v) => values.has(v))) return "viewer";
  return config.OIDC_DEFAULT_ROLE === "none" ? null : config.OIDC_DEFAULT_ROLE;
}
