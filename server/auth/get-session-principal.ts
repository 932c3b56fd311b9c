import "server-only";

import { headers } from "next/headers";

import { authenticateHeaders } from "./authenticate-headers";
import type { Principal } from "./principal";

/** The caller of the current server component, server action or route handler, or null. */
export async function getSessionPrincipal(): Promise<Principal | null> {
  const h = await headers();
  return authenticateHeaders({ cookie: h.get("cookie"), authorization: h.get("authorization") });
}
