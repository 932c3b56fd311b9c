import "server-only";

import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

import { z } from "zod";

import { parseEnv } from "@/server/env";

/** Loose on purpose: `admin@localhost` and intranet domains are valid sign-in names here. */
export const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+$/;

const list = z
  .string()
  .optional()
  .transform((v) =>
    (v ?? "")
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean),
  );

const schema = z
  .object({
    AUTH_SECRET: z.string().min(32, "must be at least 32 characters (e.g. `openssl rand -base64 33`)").optional(),
    AUTH_SECRET_FILE: z.string().default(".data/auth-secret"),
    AUTH_SESSION_MAX_AGE_SECONDS: z.coerce
      .number()
      .int()
      .min(300)
      .max(2_592_000)
      .default(8 * 3600),
    ADMIN_EMAIL: z.string().regex(EMAIL_PATTERN, "must be an email address").optional(),
    ADMIN_PASSWORD: z.string().min(12, "must be at least 12 characters").max(200).optional(),
    LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).max(100).default(5),
    LOGIN_LOCKOUT_MINUTES: z.coerce.number().int().min(1).max(1440).default(15),
    LOGIN_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(10_000).default(20),
    OIDC_ISSUER: z.url().optional(),
    OIDC_CLIENT_ID: z.string().min(1).optional(),
    OIDC_CLIENT_SECRET: z.string().min(1).optional(),
    OIDC_DISPLAY_NAME: z.string().min(1).max(60).default("Single sign-on"),
    OIDC_SCOPES: z.string().default("openid email profile"),
    OIDC_ROLE_CLAIM: z.string().min(1).default("groups"),
    /** The claim whose values are sent to Kubernetes as the user's groups, like the apiserver's --oidc-groups-claim. */
    OIDC_GROUPS_CLAIM: z.string().min(1).default("groups"),
    OIDC_ADMIN_VALUES: list,
    OIDC_OPERATOR_VALUES: list,
    OIDC_VIEWER_VALUES: list,
    /**
     * Role for OIDC users matching none of the lists. "none" (the default) refuses them: an
     * identity provider usually admits the whole company, and no access is the safe reading.
     */
    OIDC_DEFAULT_ROLE: z.enum(["viewer", "operator", "admin", "none"]).default("none"),
  })
  .refine((c) => Boolean(c.ADMIN_EMAIL) === Boolean(c.ADMIN_PASSWORD), {
    message: "ADMIN_EMAIL and ADMIN_PASSWORD must be set together",
    path: ["ADMIN_PASSWORD"],
  })
  .refine((c) => [c.OIDC_ISSUER, c.OIDC_CLIENT_ID, c.OIDC_CLIENT_SECRET].filter(Boolean).length % 3 === 0, {
    message: "OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET must be set together",
    path: ["OIDC_ISSUER"],
  });

export type AuthConfig = z.infer<typeof schema> & { secret: string; oidcEnabled: boolean };

let cached: AuthConfig | undefined;

export function authConfig(): AuthConfig {
  if (cached) return cached;
  const parsed = parseEnv("auth", schema);
  cached = {
    ...parsed,
    secret: parsed.AUTH_SECRET ?? fileSecret(parsed.AUTH_SECRET_FILE),
    oidcEnabled: Boolean(parsed.OIDC_ISSUER),
  };
  return cached;
}

/** Test hook: forget the parsed configuration so a test can change the environment. */
export function resetAuthConfig(): void {
  cached = undefined;
}

/**
 * Without AUTH_SECRET, a secret is generated once into a 0600 file so that sessions survive a
 * restart of a single-machine install; clusters set AUTH_SECRET (shared by all replicas).
 */
function fileSecret(file: string): string {
  const absolute = path.resolve(file);
  if (existsSync(absolute)) return readFileSync(absolute, "utf8").trim();
  mkdirSync(path.dirname(absolute), { recursive: true });
  const secret = randomBytes(33).toString("base64url");
  try {
    writeFileSync(absolute, `${secret}\n`, { mode: 0o600, flag: "wx" });
    chmodSync(absolute, 0o600);
    return secret;
  } catch (error) {
    // Another process created it first; use theirs so both accept the same cookies.
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return readFileSync(absolute, "utf8").trim();
    throw error;
  }
}
