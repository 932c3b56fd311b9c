import { SettingsTabs } from "@/components/settings/settings-tabs";
import { can } from "@/server/auth/permissions";
import { requirePrincipal } from "@/server/auth/require-principal";
import { getDb } from "@/server/db/client";
import { listApiTokens } from "@/server/tokens/manage-api-tokens";
import { listUsers } from "@/server/users/manage-users";

import {
  changePasswordAction,
  createApiTokenAction,
  createUserAction,
  revokeApiTokenAction,
  updateUserAction,
} from "./actions";

export const metadata = { title: "Settings · kaito-dashboard" };

export default async function SettingsPage() {
  const principal = await requirePrincipal("read");
  const db = await getDb();
  const isAdmin = can(principal.role, "admin");
  const [tokens, users] = await Promise.all([
    listApiTokens(db, principal),
    isAdmin ? listUsers(db) : Promise.resolve(null),
  ]);
  return (
    <div className="flex max-w-5xl flex-col gap-4">
      <h1 className="text-2xl font-semibold">Settings</h1>
      <SettingsTabs
        me={{ userId: principal.userId, email: principal.email }}
        tokens={tokens}
        users={users}
        actions={{
          createApiTokenAction,
          revokeApiTokenAction,
          createUserAction,
          updateUserAction,
          changePasswordAction,
        }}
      />
    </div>
  );
}
