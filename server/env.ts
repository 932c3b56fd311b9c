import "server-only";

import { z } from "zod";

/**
 * Parses the process environment against a domain's schema once and stops the process
 * with the names of the missing or malformed variables. Each domain keeps its own schema
 * (server/<domain>/config.ts) so that a variable is declared next to the code that reads it.
 */
export function parseEnv<S extends z.ZodType>(
  domain: string,
  schema: S,
  source: NodeJS.ProcessEnv = process.env,
): z.infer<S> {
  const result = schema.safeParse(source);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `  ${issue.path.join(".") || "(env)"}: ${issue.message}`);
  throw new EnvError(`Invalid ${domain} configuration:\n${problems.join("\n")}`);
}

export class EnvError extends Error {
  override name = "EnvError";
}

/** Environment booleans: "1", "true", "yes" are true; unset takes the default. */
export const envBoolean = (fallback: boolean) =>
  z
    .enum(["1", "0", "true", "false", "yes", "no", ""])
    .optional()
    .transform((v) => (v === undefined || v === "" ? fallback : ["1", "true", "yes"].includes(v)));
