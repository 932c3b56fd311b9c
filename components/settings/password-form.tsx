"use client";

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
    toast("Password changed", "success");
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
