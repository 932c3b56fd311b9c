import { SettingsTabs } from "@/components/settings/settings-tabs";
import { requirePrincipal } from "@/server/auth/require-principal";
import { loadSettingsView } from "@/server/settings/load-settings-view";

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
  const { tokens, tokenPolicy, users, auditProtection, inference } = await loadSettingsView(principal);
  return (
    <div className="flex max-w-5xl flex-col gap-4">
      <h1 className="text-2xl font-semibold">Settings</h1>
      <SettingsTabs
        initialTab={typeof tab === "string" && TABS.includes(tab) ? tab : undefined}
        me={{ userId: principal.userId, email: principal.email }}
        tokens={tokens}
        tokenPolicy={tokenPolicy}
        users={users}
        auditProtection={auditProtection}
        inference={inference}
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
