"use client";

import { signOut } from "next-auth/react";
import { useState, type FormEvent } from "react";

import { Button } from "@/components/ui/button";
import { FormField, Input } from "@/components/ui/input";
import { useToast } from "@/components/ui/toast";

import type { SettingsActions } from "./types";

export function PasswordForm({ action }: { action: SettingsActions["changePasswordAction"] }) {
  const toast = useToast();
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const formElement = event.currentTarget;
    const result = await action(Object.fromEntries(new FormData(formElement)));
    if (!result.ok) {
      setErrors(result.error.fieldErrors ?? {});
      toast(result.error.message, "error");
      return;
    }
    setErrors({});
    formElement.reset();
    // The change ended every session of this account, this one too: sign in with the new password.
    toast("Password changed; sign in again with the new one", "success");
    await signOut({ redirectTo: "/login?callbackUrl=%2Fsettings" });
  };
  return (
    <form onSubmit={onSubmit} className="flex max-w-sm flex-col gap-3" aria-label="Change your password">
      <FormField id="current-password" label="Current password" error={errors.currentPassword?.[0]}>
        <Input
          id="current-password"
          name="currentPassword"
          type="password"
          autoComplete="current-password"
          required
          maxLength={200}
        />
      </FormField>
      <FormField id="new-password" label="New password (12+ characters)" error={errors.newPassword?.[0]}>
        <Input
          id="new-password"
          name="newPassword"
          type="password"
          autoComplete="new-password"
          required
          minLength={12}
          maxLength={200}
        />
      </FormField>
      <Button type="submit">Change password</Button>
    </form>
  );
}

/** Ends every session of the account (all browsers, this one included) and revokes its API tokens. */
export function SignOutEverywhere({ action }: { action: SettingsActions["signOutEverywhereAction"] }) {
  const toast = useToast();
  const [pending, setPending] = useState(false);
  const onClick = async () => {
    setPending(true);
    const result = await action({});
    if (!result.ok) {
      setPending(false);
      toast(result.error.message, "error");
      return;
    }
    await signOut({ redirectTo: "/login" });
  };
  return (
    <section aria-labelledby="sign-out-everywhere" className="flex max-w-sm flex-col gap-2">
      <h2 id="sign-out-everywhere" className="font-medium">
        Sign out everywhere
      </h2>
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        Ends your sessions in every browser, this one included, and revokes all your API tokens.
      </p>
      <Button variant="danger" onClick={onClick} disabled={pending}>
        Sign out everywhere
      </Button>
    </section>
  );
}
