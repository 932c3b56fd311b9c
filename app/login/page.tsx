import { headers } from "next/headers";
import { redirect } from "next/navigation";

import { getSessionPrincipal } from "@/server/auth/get-session-principal";
import { resolveCallbackPath } from "@/server/auth/callback-url";
import { authConfig } from "@/server/auth/config";

import { LoginForm } from "./login-form";

export const metadata = { title: "Sign in · kaito-dashboard" };

export default async function LoginPage({
  searchParams,
}: {
  searchParams: Promise<{ callbackUrl?: string; error?: string }>;
}) {
  if (await getSessionPrincipal()) redirect("/");
  const { callbackUrl, error } = await searchParams;
  const config = authConfig();
  const h = await headers();
  const origin = `${h.get("x-forwarded-proto") === "https" ? "https" : "http"}://${h.get("host")}`;
  const target = resolveCallbackPath(callbackUrl, origin);
  return (
    <main className="flex min-h-screen items-center justify-center p-6">
      <div className="w-full max-w-sm rounded-lg border border-zinc-200 p-6 shadow-sm dark:border-zinc-800">
        <h1 className="mb-1 text-xl font-semibold">Sign in</h1>
        <p className="mb-6 text-sm text-zinc-500">kaito-dashboard</p>
        <LoginForm
          callbackUrl={target}
          oidc={config.oidcEnabled ? { name: config.OIDC_DISPLAY_NAME } : null}
          initialError={
            error === "AccessDenied"
              ? "Your single sign-on account has no access to this dashboard."
              : error
                ? "Sign-in failed. Try again."
                : null
          }
        />
      </div>
    </main>
  );
}
