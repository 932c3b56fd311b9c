import "server-only";

import { z } from "zod";

import type { ActionContext } from "@/server/actions/define-action";
import type { PrismaClient } from "@/server/db/generated/client";

/** The longest lifetime an admin allows for new personal API tokens, in days. */
export const TOKEN_MAX_DAYS_KEY = "tokens.maxLifetimeDays";
export const DEFAULT_TOKEN_MAX_DAYS = 90;
/** Even an admin cannot allow tokens that outlive a plausible key-rotation policy. */
export const TOKEN_MAX_DAYS_LIMIT = 730;

export const tokenPolicySchema = z.object({
  maxLifetimeDays: z.coerce
    .number()
    .int("Whole days")
    .min(1, "At least 1 day")
    .max(TOKEN_MAX_DAYS_LIMIT, `At most ${TOKEN_MAX_DAYS_LIMIT} days`),
});

export type TokenPolicy = z.infer<typeof tokenPolicySchema>;

export async function readTokenPolicy(db: Pick<PrismaClient, "setting">): Promise<TokenPolicy> {
  const row = await db.setting.findUnique({ where: { key: TOKEN_MAX_DAYS_KEY } });
  const parsed = tokenPolicySchema.safeParse({ maxLifetimeDays: row?.value });
  return parsed.success ? parsed.data : { maxLifetimeDays: DEFAULT_TOKEN_MAX_DAYS };
}

/** Applies to tokens created from now on; existing tokens keep the expiry they were given. */
export async function updateTokenPolicy(
  input: TokenPolicy,
  { tx, audit, principal }: ActionContext,
): Promise<TokenPolicy> {
  const before = await readTokenPolicy(tx);
  await tx.setting.upsert({
    where: { key: TOKEN_MAX_DAYS_KEY },
    create: { key: TOKEN_MAX_DAYS_KEY, value: input.maxLifetimeDays, updatedBy: principal.userId },
    update: { value: input.maxLifetimeDays, updatedBy: principal.userId },
  });
  audit.set({
    summary: `Set the longest lifetime of new API tokens to ${input.maxLifetimeDays} days`,
    target: { kind: "Setting", name: TOKEN_MAX_DAYS_KEY },
    diff: { maxLifetimeDays: [before.maxLifetimeDays, input.maxLifetimeDays] },
  });
  return input;
}
