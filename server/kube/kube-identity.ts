import "server-only";

import type { Role } from "@/server/auth/permissions";

import type { KubeIdentity } from "./kube-client";

/** Prefix of every Kubernetes user and group name the dashboard itself makes up. */
export const DASHBOARD_PREFIX = "kaito-dashboard:";

/** The Kubernetes group each dashboard role acts in. */
export const ROLE_GROUPS: Record<Role, string> = {
  viewer: `${DASHBOARD_PREFIX}viewers`,
  operator: `${DASHBOARD_PREFIX}operators`,
  admin: `${DASHBOARD_PREFIX}admins`,
};

/** The caller as the dashboard knows them; `externalId` and `oidcGroups` are set for single sign-on accounts. */
export type DashboardUser = {
  email: string;
  role: Role;
  externalId?: string | null;
  oidcGroups?: readonly string[];
};

// The web's ServiceAccount may impersonate any group, so a group or user name the apiserver
// reserves for itself (system:masters is cluster-admin) must never come from an identity
// provider's claim or an email address.
const reserved = (name: string) => name.startsWith("system:");

/**
 * The Kubernetes identity a person's requests are sent as. Local accounts are `kaito-dashboard:<email>`, so they cannot collide with a
 * cluster user of the same email; single sign-on accounts are their email, as the apiserver
 * names them with `--oidc-username-claim=email`, so one RoleBinding serves kubectl and the
 * dashboard. Groups: the dashboard role's group plus the provider's groups.
 */
export function kubeIdentityOf(user: DashboardUser): KubeIdentity {
  const sso = Boolean(user.externalId);
  const name = sso ? user.email : `${DASHBOARD_PREFIX}${user.email}`;
  if (reserved(name)) throw new Error(`refusing to act as the reserved Kubernetes user ${name}`);
  const groups = [ROLE_GROUPS[user.role], ...(sso ? (user.oidcGroups ?? []) : [])].filter(
    (group, i, all) => !reserved(group) && all.indexOf(group) === i,
  );
  return { user: name, groups };
}
