import "server-only";

import type { z } from "zod";

import type { AuditTarget, RequestContext } from "@/server/audit/audit-event";
import { ensureAuditWritable, recordAuditEvent } from "@/server/audit/record-audit-event";
import { requestContextFromHeaders } from "@/server/audit/request-context";
import { authenticateHeaders } from "@/server/auth/authenticate-headers";
import { can, PUBLIC, type Access } from "@/server/auth/permissions";
import type { Principal } from "@/server/auth/principal";
import { AppError, toAppError } from "@/server/errors";

import { invalidInput } from "./define-action";
import { ACCESS_META, type AccessMeta, type AuditRecorder, createAuditRecorder } from "./audit-details";

const MUTATING = new Set(["POST", "PUT", "PATCH", "DELETE"]);

export type RouteContext<P> = {
  /** Null only on `permission: "public"` routes. */
  principal: Principal | null;
  params: P;
  request: RequestContext;
  audit: AuditRecorder;
};

type RouteDefinition<P> = {
  permission: Access;
  /** `resource.verb` audited for mutating methods; required for POST/PUT/PATCH/DELETE exports. */
  action?: string;
  target?: (params: P, request: Request) => AuditTarget;
  /** Audit this route even though it is public (e.g. sign-in posts audit themselves: leave unset). */
  auditPublic?: boolean;
};

type NextRouteContext = { params: Promise<Record<string, string | string[]>> };

export type RouteHandler = ((request: Request, context: NextRouteContext) => Promise<Response>) & {
  [ACCESS_META]: AccessMeta;
};

/**
 * Wraps a route handler: authenticates the session cookie or `Authorization: Bearer` API token,
 * checks the permission, runs, and for mutating methods writes exactly one audit event
 * (succeeded for 2xx/3xx, denied for 401/403, failed otherwise). Errors become JSON
 * `{ error: { code, message, fieldErrors? } }` with the AppError's status.
 */
export function defineRoute<P = Record<string, string>>(
  definition: RouteDefinition<P>,
  handler: (request: Request, ctx: RouteContext<P>) => Promise<Response> | Response,
): RouteHandler {
  const route = async (request: Request, context: NextRouteContext): Promise<Response> => {
    const requestContext = requestContextFromHeaders(request.headers);
    const mutating =
      MUTATING.has(request.method) && (definition.permission !== PUBLIC || definition.auditPublic === true);
    const audit = createAuditRecorder();
    let principal: Principal | null = null;
    let params: P;

    const finish = async (original: Response, summary?: string): Promise<Response> => {
      const response = withHeader(original, "x-request-id", requestContext.requestId);
      if (!mutating || !definition.action) return response;
      const outcome =
        response.status < 400 ? "succeeded" : response.status === 401 || response.status === 403 ? "denied" : "failed";
      try {
        await recordAuditEvent({
          action: definition.action,
          outcome,
          summary:
            (outcome === "succeeded" ? audit.details.summary : undefined) ??
            summary ??
            `${request.method} ${new URL(request.url).pathname} → ${response.status}`,
          actor: principal,
          target: audit.details.target,
          diff: outcome === "succeeded" ? audit.details.diff : undefined,
          context: requestContext,
        });
      } catch (error) {
        console.error("audit event could not be written", error);
      }
      return response;
    };

    try {
      params = ((await context?.params) ?? {}) as P;
      if (definition.target) audit.set({ target: definition.target(params, request) });
      if (definition.permission !== PUBLIC) {
        principal = await authenticateHeaders({
          cookie: request.headers.get("cookie"),
          authorization: request.headers.get("authorization"),
        });
        if (!principal) throw new AppError("unauthenticated", "Sign in or send a valid API token.");
        if (!can(principal.role, definition.permission))
          throw new AppError("forbidden", "Your role does not allow this.");
      }
      if (mutating && definition.action) await ensureAuditWritable();
      const response = await handler(request, { principal, params, request: requestContext, audit });
      return finish(response);
    } catch (error) {
      const appError = toAppError(error);
      if (appError.code === "internal") console.error(`${request.method} ${request.url} failed`, error);
      return finish(Response.json({ error: appError.toJSON() }, { status: appError.status }), appError.message);
    }
  };
  return Object.assign(route, {
    [ACCESS_META]: { kind: "route", access: definition.permission, action: definition.action } as AccessMeta,
  });
}

/** Redirects and fetched responses have immutable headers; copy those before adding one. */
function withHeader(response: Response, name: string, value: string): Response {
  try {
    response.headers.set(name, value);
    return response;
  } catch {
    const copy = new Response(response.body, {
      status: response.status,
      statusText: response.statusText,
      headers: new Headers(response.headers),
    });
    copy.headers.set(name, value);
    return copy;
  }
}

/** Parses a JSON body or query object with zod; a bad one becomes a 400 with field errors. */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw invalidInput(parsed.error);
  return parsed.data;
}

/** The request's JSON body, or a 400 that says it is not JSON. */
export async function readJson(request: Request): Promise<unknown> {
  try {
    return await request.json();
  } catch {
    throw new AppError("invalid_input", "The request body must be JSON.");
  }
}
