import "server-only";

/** Ordered from least to most powerful; each role can do everything the ones before it can. */
export const ROLES = ["viewer", "operator", "admin"] as const;
export type Role = (typeof ROLES)[number];

/** What each permission needs at least. */
export const PERMISSION_MIN_ROLE = {
  read: "viewer",
  "inference:use": "viewer",
  "workspace:write": "operator",
  "adapter:write": "operator",
  admin: "admin",
} as const satisfies Record<string, Role>;

export type Permission = keyof typeof PERMISSION_MIN_ROLE;
export const PERMISSIONS = Object.keys(PERMISSION_MIN_ROLE) as Permission[];

/**
 * Routes and actions that anyone may call (sign-in itself, health checks). Declaring it is
 * explicit so the authorization-matrix test can tell "public on purpose" from "forgotten".
 */
export const PUBLIC = "public" as const;
export type Access = Permission | typeof PUBLIC;

export function isRole(value: unknown): value is Role {
  return typeof value === "string" && (ROLES as readonly string[]).includes(value);
}

export function roleAtLeast(role: Role, minimum: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(minimum);
}

export function can(role: Role, permission: Permission): boolean {
  return roleAtLeast(role, PERMISSION_MIN_ROLE[permission]);
}
