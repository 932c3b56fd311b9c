"use client";

import { useState } from "react";

import { Tabs } from "@/components/ui/tabs";

import { InferenceSettingsForm } from "./inference-settings-form";
import { PasswordForm, SignOutEverywhere } from "./password-form";
import type { InferenceSettings, SettingsActions, TokenPolicy, TokenRow, UserRow } from "./types";
import { TokensPanel } from "./tokens-panel";
import { UsersPanel } from "./users-panel";

export function SettingsTabs({
  me,
  tokens,
  tokenPolicy,
  users,
  inference,
  actions,
}: {
  me: { userId: string; email: string };
  tokens: TokenRow[];
  tokenPolicy: TokenPolicy;
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
          content: (
            <TokensPanel
              tokens={tokens}
              showOwner={users !== null}
              policy={{ ...tokenPolicy, editable: users !== null }}
              actions={actions}
            />
          ),
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
        {
          id: "account",
          label: "Account",
          content: (
            <div className="flex flex-col gap-8">
              <PasswordForm action={actions.changePasswordAction} />
              <SignOutEverywhere action={actions.signOutEverywhereAction} />
            </div>
          ),
        },
      ]}
    />
  );
}
