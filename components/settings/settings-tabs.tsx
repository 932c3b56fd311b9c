"use client";

import { useState } from "react";

import { Tabs } from "@/components/ui/tabs";

import { InferenceSettingsForm } from "./inference-settings-form";
import { PasswordForm, SignOutEverywhere } from "./password-form";
import type { AuditProtection, InferenceSettings, SettingsActions, TokenPolicy, TokenRow, UserRow } from "./types";
import { TokensPanel } from "./tokens-panel";
import { UsersPanel } from "./users-panel";

export function SettingsTabs({
  me,
  tokens,
  tokenPolicy,
  users,
  auditProtection,
  inference,
  actions,
  initialTab,
}: {
  me: { userId: string; email: string };
  tokens: TokenRow[];
  tokenPolicy: TokenPolicy;
  users: UserRow[] | null;
  /** Admins only, with users. */
  auditProtection: AuditProtection | null;
  /** Admins only. */
  inference: InferenceSettings | null;
  actions: SettingsActions;
  /** From the page's `?tab=`, so a reload or a shared link opens the same tab. */
  initialTab?: string;
}) {
  const [tab, setTab] = useState(initialTab ?? "tokens");
  const select = (id: string) => {
    setTab(id);
    const url = new URL(window.location.href);
    url.searchParams.set("tab", id);
    window.history.replaceState(null, "", url);
  };
  return (
    <Tabs
      selected={tab}
      onSelect={select}
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
          ? [
              {
                id: "users",
                label: "Users",
                content: (
                  <UsersPanel
                    users={users}
                    me={me}
                    auditProtection={auditProtection ?? { mode: "single-role", role: "unknown" }}
                    actions={actions}
                  />
                ),
              },
            ]
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
