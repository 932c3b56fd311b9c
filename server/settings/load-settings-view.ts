import "server-only";

import type { Principal } from "@/server/auth/principal";
import { can } from "@/server/auth/permissions";
import { getDb, readDbAuditProtection } from "@/server/db/client";
import { loadInferenceConfig } from "@/server/inference/config";
import { listApiTokens } from "@/server/tokens/manage-api-tokens";
import { readTokenPolicy } from "@/server/tokens/token-policy";
import { listUsers, type UserView } from "@/server/users/manage-users";
import { describeKubeAccess } from "@/server/workspaces/workspace-access";

import { readRecordContent } from "./inference-settings";

/**
 * What the Settings page shows this principal: their own tokens and the token policy, and for
 * admins the users (with their Kubernetes identity and namespaces) and the inference settings.
 * Null where the role may not see a section.
 */
export async function loadSettingsView(principal: Principal) {
  const db = await getDb();
  const isAdmin = can(principal.role, "admin");
  const [tokens, tokenPolicy, users, auditProtection, recordContent] = await Promise.all([
    listApiTokens(db, principal),
    readTokenPolicy(db),
    isAdmin ? listUsers(db) : Promise.resolve(null),
    isAdmin ? readDbAuditProtection() : Promise.resolve(null),
    isAdmin ? readRecordContent(db, loadInferenceConfig().recordContent) : Promise.resolve(null),
  ]);
  // Each user's Kubernetes identity and namespaces; the page still renders without a cluster.
  const kube = users ? await describeKubeAccess(users).catch(() => null) : null;
  return {
    tokens,
    tokenPolicy,
    users: users?.map((u: UserView) => ({ ...u, kube: kube?.[u.id] })) ?? null,
    auditProtection,
    inference: recordContent === null ? null : { recordContent },
  };
}
