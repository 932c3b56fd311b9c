import "server-only";

import type { Prisma } from "@/server/db/generated/client";

/**
 * Ends every session and API token of a user: raises the session version that each session
 * cookie carries (server/auth/authenticate-headers.ts refuses older ones at the next request)
 * and revokes the user's active tokens. Called on password change, role change, disable and
 * "sign out everywhere", inside the transaction that makes the change, so both happen or neither.
 * Returns how many tokens were revoked, for the audit event.
 */
export async function endAllSessions(
  tx: Pick<Prisma.TransactionClient, "user" | "apiToken">,
  userId: string,
): Promise<{ revokedTokens: number }> {
  await tx.user.update({ where: { id: userId }, data: { sessionVersion: { increment: 1 } } });
  const { count } = await tx.apiToken.updateMany({
    where: { userId, revokedAt: null },
    data: { revokedAt: new Date() },
  });
  return { revokedTokens: count };
}
