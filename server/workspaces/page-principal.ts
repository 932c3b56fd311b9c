import "server-only";

import { redirect } from "next/navigation";

import { getSessionPrincipal } from "@/server/auth/get-session-principal";
import { can } from "@/server/auth/permissions";
import type { Principal } from "@/server/auth/principal";

/** The signed-in caller of a workspace page (else off to sign-in) and whether they may change workspaces. */
export async function requirePagePrincipal(returnTo: string): Promise<{ principal: Principal; canWrite: boolean }> {
  const principal = await getSessionPrincipal();
  if (!principal) redirect(`/login?callbackUrl=${encodeURIComponent(returnTo)}`);
  return { principal, canWrite: can(principal.role, "workspace:write") };
}
