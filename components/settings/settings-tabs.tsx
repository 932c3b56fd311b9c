"use client";

import { useState } from "react";

import { Tabs } from "@/components/ui/tabs";

import { InferenceSettingsForm } from "./inference-settings-form";
import { PasswordForm } from "./password-form";
import type { InferenceSettings, SettingsActions, TokenRow, UserRow } from "./types";
import { TokensPanel } from "./tokens-panel";
import { UsersPanel } from "./users-panel";

export function SettingsTabs({
  me,
  tokens,
  users,
  inference,
  actions,
}: {
  me: { userId: string; email: string };
  tokens: TokenRow[];
  users: UserRow[] | null;
  /** Admins only. */
  inference: InferenceSettings | null;
  actions: SettingsActions;
}) {
  const [tab, setTab] = useState("tokens");
  return (
    <Tabs
      selected={tab}
      onSelect={setTab}
      tabs={[
        {
          id: "tokens",
          label: "API tokens",
          content: <TokensPanel tokens={tokens} showOwner={users !== null} actions={actions} />,
        },
        ...(users
          ? [{ id: "users", label: "Users", content: <UsersPanel users={users} me={me} actions={actions} /> }]
          : []),
        ...(inference
          ? [
              {
                id: "inference",
                label: "Inference",
                content: <InferenceSettingsForm initial={inference} action={actions.updateInferenceSettingsAction} />,
              },
            ]
          : []),
        { id: "account", label: "Account", content: <PasswordForm action={actions.changePasswordAction} /> },
      ]}
    />
  );
}
