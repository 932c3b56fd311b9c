import { SettingsTabs } from "@/components/settings/settings-tabs";
import { can } from "@/server/auth/permissions";
import { requirePrincipal } from "@/server/auth/require-principal";
import { getDb, readDbAuditProtection } from "@/server/db/client";
import { loadInferenceConfig } from "@/server/inference/config";
import { readRecordContent } from "@/server/settings/inference-settings";
import { listApiTokens } from "@/server/tokens/manage-api-tokens";
import { readTokenPolicy } from "@/server/tokens/token-policy";
import { listUsers, type UserView } from "@/server/users/manage-users";
import { describeKubeAccess } from "@/server/workspaces/workspace-access";

import {
  changePasswordAction,
  createApiTokenAction,
  createUserAction,
  revokeApiTokenAction,
  signOutEverywhereAction,
  updateInferenceSettingsAction,
  updateTokenPolicyAction,
  updateUserAction,
} from "./actions";

export const metadata = { title: "Settings · kaito-dashboard" };

const TABS = ["tokens", "users", "inference", "account"];

export default async function SettingsPage({ searchParams }: { searchParams: Promise<{ tab?: string | string[] }> }) {
  const principal = await requirePrincipal("read");
  const { tab } = await searchParams;
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
  const rows = users?.map((u: UserView) => ({ ...u, kube: kube?.[u.id] }));
  return (
    <div className="flex max-w-5xl flex-col gap-4">
      <h1 className="text-2xl font-semibold">Settings</h1>
      <SettingsTabs
        initialTab={typeof tab === "string" && TABS.includes(tab) ? tab : undefined}
        me={{ userId: principal.userId, email: principal.email }}
        tokens={tokens}
        tokenPolicy={tokenPolicy}
        users={rows ?? null}
        auditProtection={auditProtection}
        inference={recordContent === null ? null : { recordContent }}
        actions={{
          createApiTokenAction,
          revokeApiTokenAction,
          createUserAction,
          updateUserAction,
          changePasswordAction,
          signOutEverywhereAction,
          updateTokenPolicyAction,
          updateInferenceSettingsAction,
        }}
      />
    </div>
  );
}
