import "server-only";

import { z } from "zod";

import type { AuditAction, AuditTarget, RequestContext } from "@/server/audit/audit-event";
import { recordAuditEvent } from "@/server/audit/record-audit-event";
import { currentRequestContext } from "@/server/audit/request-context";
import { getSessionPrincipal } from "@/server/auth/get-session-principal";
import { can, type Permission } from "@/server/auth/permissions";
import type { Principal } from "@/server/auth/principal";
import { getDb } from "@/server/db/client";
import type { Prisma } from "@/server/db/generated/client";
import { AppError, toAppError } from "@/server/errors";

import type { ActionResult } from "./action-result";
import { ACCESS_META, type AccessMeta, type AuditRecorder, createAuditRecorder } from "./audit-details";

export type ActionContext = {
  principal: Principal;
  request: RequestContext;
  audit: AuditRecorder;
  /** Only for `transactional: true` actions: database writes here commit with the audit event. */
  tx: Prisma.TransactionClient;
};

type ActionDefinition<S extends z.ZodType, T> = {
  /** Recorded as the audit event's action. */
  action: AuditAction;
  permission: Permission;
  schema: S;
  /** The object acted on, derived from the parsed input; `ctx.audit.set` can refine it. */
  target?: (input: z.infer<S>) => AuditTarget;
  /**
   * Run the work and its audit event in one database transaction, so a failed audit write also
   * undoes the change. For database-only mutations (users, tokens, adapters' records).
   */
  transactional?: boolean;
  run: (input: z.infer<S>, ctx: ActionContext) => Promise<T>;
};

export type ServerAction<T> = ((input: unknown) => Promise<ActionResult<T>>) & { [ACCESS_META]: AccessMeta };

/**
 * The one path for a server action: parse → authenticate → authorize → run → exactly one audit
 * event (succeeded / denied / failed) → ActionResult. The audit trail is checked to be writable
 * before the work runs, so a mutation never happens while its event cannot be recorded.
 */
export function defineAction<S extends z.ZodType, T>(definition: ActionDefinition<S, T>): ServerAction<T> {
  const action = async (rawInput: unknown): Promise<ActionResult<T>> => {
    const request = await currentRequestContext();
    const principal = await getSessionPrincipal();
    const audit = createAuditRecorder();
    const parsed = definition.schema.safeParse(rawInput);
    const target = parsed.success ? definition.target?.(parsed.data) : undefined;
    audit.set({ target });

    const write = (outcome: "succeeded" | "denied" | "failed", summary: string, tx?: Prisma.TransactionClient) =>
      recordAuditEvent(
        {
          action: definition.action,
          outcome,
          summary: audit.details.summary && outcome === "succeeded" ? audit.details.summary : summary,
          actor: principal,
          target: audit.details.target,
          diff: outcome === "succeeded" ? audit.details.diff : undefined,
          context: request,
        },
        tx,
      );

    if (!principal) {
      await write("denied", "Not signed in").catch(logAuditFailure);
      return failure(new AppError("unauthenticated", "Sign in to continue."));
    }
    if (!can(principal.role, definition.permission)) {
      await write("denied", `Role ${principal.role} lacks permission ${definition.permission}`).catch(logAuditFailure);
      return failure(new AppError("forbidden", "Your role does not allow this."));
    }
    if (!parsed.success) {
      const error = invalidInput(parsed.error);
      await write("failed", `Invalid input: ${error.message}`).catch(logAuditFailure);
      return failure(error);
    }

    let db;
    try {
      db = await getDb();
      if (!definition.transactional) await db.$queryRaw`SELECT 1`;
    } catch (error) {
      console.error(`audit trail unavailable; ${definition.action} not performed`, error);
      return failure(
        new AppError("unavailable", "The audit trail cannot be written right now, so nothing was changed."),
      );
    }

    try {
      const data = definition.transactional
        ? await db.$transaction(async (tx) => {
            const result = await definition.run(parsed.data, { principal, request, audit, tx });
            await write("succeeded", `${definition.action} succeeded`, tx);
            return result;
          })
        : await definition.run(parsed.data, { principal, request, audit, tx: db });
      if (!definition.transactional) await writeWithRetry(() => write("succeeded", `${definition.action} succeeded`));
      return { ok: true, data };
    } catch (error) {
      const appError = toAppError(error);
      if (appError.code === "internal") console.error(`${definition.action} failed`, error);
      await write(outcomeFor(appError), appError.message).catch(logAuditFailure);
      return failure(appError);
    }
  };
  return Object.assign(action, {
    [ACCESS_META]: { kind: "action", access: definition.permission, action: definition.action } as AccessMeta,
  });
}

export function invalidInput(error: z.ZodError): AppError {
  const fieldErrors: Record<string, string[]> = {};
  for (const issue of error.issues) {
    const key = issue.path.join(".") || "_";
    (fieldErrors[key] ??= []).push(issue.message);
  }
  const first = error.issues[0];
  const where = first?.path.length ? `${first.path.join(".")}: ` : "";
  return new AppError("invalid_input", `${where}${first?.message ?? "invalid input"}`, { fieldErrors });
}

function outcomeFor(error: AppError): "denied" | "failed" {
  return error.code === "forbidden" || error.code === "unauthenticated" ? "denied" : "failed";
}

function failure(error: AppError): { ok: false; error: ReturnType<AppError["toJSON"]> } {
  return { ok: false, error: error.toJSON() };
}

function logAuditFailure(error: unknown): void {
  console.error("audit event could not be written", error);
}

/** The mutation already happened; a lost event would be worse than a slow one. */
async function writeWithRetry(write: () => Promise<unknown>): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await write();
      return;
    } catch (error) {
      if (attempt >= 5) return logAuditFailure(error);
      await new Promise((resolve) => setTimeout(resolve, 100 * 2 ** attempt));
    }
  }
}
