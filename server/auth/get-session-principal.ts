import "server-only";

import { headers } from "next/headers";

import { isAppError } from "@/server/errors";

import { authenticateHeaders } from "./authenticate-headers";
import type { Principal } from "./principal";

/**
 * The caller of the current server component, server action or route handler, or null. A token
 * that cannot be used (expired, revoked, wrong scope) is an anonymous caller here: pages and
 * actions have no place for its reason; routes get it from authenticateHeaders directly.
 */
export async function getSessionPrincipal(): Promise<Principal | null> {
  const h = await headers();
  try {
    return await authenticateHeaders({ cookie: h.get("cookie"), authorization: h.get("authorization") });
  } catch (error) {
    if (isAppError(error)) return null;
    throw error;
  }
}
