import "server-only";

import { redirect } from "next/navigation";

import { getSessionPrincipal } from "./get-session-principal";
import { can, type Permission } from "./permissions";
import type { Principal } from "./principal";

/** For pages: the signed-in principal, or a redirect to the sign-in page. */
export async function requirePrincipal(permission: Permission = "read"): Promise<Principal> {
  const principal = await getSessionPrincipal();
  if (!principal) redirect("/login");
  if (!can(principal.role, permission)) redirect("/?denied=1");
  return principal;
}
