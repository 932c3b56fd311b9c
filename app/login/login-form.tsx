"use client";

import { signIn } from "next-auth/react";
import { useState, type FormEvent } from "react";

import { Button } from "@/components/ui/button";
import { FormField, Input } from "@/components/ui/input";

const MESSAGES: Record<string, string> = {
  invalid: "Wrong email or password.",
  locked: "Too many failed attempts: this account is locked for a while. Try again later or ask an administrator.",
  rate_limited: "Too many sign-in attempts from your address. Wait a minute and try again.",
  malformed: "Enter a valid email address and a password.",
};

export function LoginForm({
  callbackUrl,
  oidc,
  initialError,
}: {
  callbackUrl: string;
  oidc: { name: string } | null;
  initialError: string | null;
}) {
  const [error, setError] = useState<string | null>(initialError);
  const [pending, setPending] = useState(false);

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const email = String(form.get("email") ?? "").trim();
    const password = String(form.get("password") ?? "");
    if (!email || !password) {
      setError(MESSAGES.malformed);
      return;
    }
    setPending(true);
    setError(null);
    const result = await signIn("credentials", { email, password, redirect: false });
    if (result?.error) {
      setError(MESSAGES[result.code ?? ""] ?? MESSAGES.invalid);
      setPending(false);
      return;
    }
    window.location.assign(callbackUrl);
  };

  return (
    <div className="flex flex-col gap-4">
      <form onSubmit={onSubmit} className="flex flex-col gap-4" noValidate>
        <FormField id="email" label="Email">
          <Input
            id="email"
            name="email"
            type="email"
            autoComplete="username"
            required
            maxLength={320}
            aria-invalid={Boolean(error)}
          />
        </FormField>
        <FormField id="password" label="Password">
          <Input
            id="password"
            name="password"
            type="password"
            autoComplete="current-password"
            required
            maxLength={200}
            aria-invalid={Boolean(error)}
          />
        </FormField>
        {error ? (
          <p role="alert" className="text-sm text-red-700 dark:text-red-400" data-testid="login-error">
            {error}
          </p>
        ) : null}
        <Button type="submit" disabled={pending}>
          {pending ? "Signing in…" : "Sign in"}
        </Button>
      </form>
      {oidc ? (
        <Button variant="secondary" onClick={() => signIn("oidc", { redirectTo: callbackUrl })}>
          Sign in with {oidc.name}
        </Button>
      ) : null}
    </div>
  );
}
