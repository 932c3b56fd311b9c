import "server-only";

import type { AuditAction, AuditTarget, RequestContext } from "@/server/audit/audit-event";
import { ensureAuditWritable, recordAuditEvent } from "@/server/audit/record-audit-event";
import { requestContextFromHeaders } from "@/server/audit/request-context";
import { authenticateHeaders } from "@/server/auth/authenticate-headers";
import { can, PUBLIC, type Access } from "@/server/auth/permissions";
import type { Principal } from "@/server/auth/principal";
import type { TokenSurface } from "@/server/tokens/find-token-principal";
import { AppError, toAppError } from "@/server/errors";

import { type AuditRecorder, createAuditRecorder } from "./audit-details";

/** The one header accessor both a Web `Request` and a node:http `IncomingMessage` can offer. */
export type RequestHeaders = { get(name: string): string | null };

export const NOT_SIGNED_IN = "Sign in or send a valid API token.";

const MUTATING = new Set(["POST", "PUT", "PATCH", "DELETE"]);

export function isMutating(method: string): boolean {
  return MUTATING.has(method);
}

export type RouteDefinition<P> = {
  permission: Access;
  /** Audited for mutating methods; required for POST/PUT/PATCH/DELETE exports. */
  action?: AuditAction;
  target?: (params: P) => AuditTarget;
  /** Audit this route even though it is public (e.g. sign-in posts audit themselves: leave unset). */
  auditPublic?: boolean;
};

export type RouteContext<P> = {
  /** Null only on `permission: "public"` routes. */
  principal: Principal | null;
  params: P;
  request: RequestContext;
  audit: AuditRecorder;
};

/** What the pipeline needs to know of a request, whichever server received it. */
export type PipelineRequest<P> = {
  method: string;
  /** Path and query, for the default audit summary and the error log. */
  url: string;
  headers: RequestHeaders;
  params: () => Promise<P> | P;
};

/**
 * The request pipeline shared by Next route handlers (defineRoute) and the node:http fast paths
 * (defineNodeRoute): authenticate the session cookie or `Authorization: Bearer` API token, refuse
 * a cookie-authenticated mutation from a foreign Origin, check the permission, run, and for
 * mutating methods write exactly one audit event (succeeded for 2xx/3xx, denied for 401/403,
 * failed otherwise). Errors become JSON `{ error: { code, message, fieldErrors? } }` with the
 * AppError's status. Every response carries `x-request-id`.
 */
export async function runRoute<P>(
  definition: RouteDefinition<P>,
  request: PipelineRequest<P>,
  handler: (ctx: RouteContext<P>) => Promise<Response> | Response,
): Promise<Response> {
  const requestContext = requestContextFromHeaders(request.headers);
  const mutating = isMutating(request.method) && (definition.permission !== PUBLIC || definition.auditPublic === true);
  const audit = createAuditRecorder();
  let principal: Principal | null = null;

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
          `${request.method} ${request.url.split("?")[0]} → ${response.status}`,
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
    const params = await request.params();
    if (definition.target) audit.set({ target: definition.target(params) });
    if (definition.permission !== PUBLIC) {
      // Assigned before the permission check, so that a refusal is audited with its actor.
      principal = await authenticateRequest(request);
      requirePermission(principal, definition.permission);
    }
    if (mutating && definition.action) await ensureAuditWritable();
    const response = await handler({ principal, params, request: requestContext, audit });
    return await finish(response);
  } catch (error) {
    const appError = toAppError(error);
    if (appError.code === "internal") console.error(`${request.method} ${request.url} failed`, error);
    return finish(Response.json({ error: appError.toJSON() }, { status: appError.status }), appError.message);
  }
}

/**
 * Who may make this request: null for public access, else the authenticated principal holding
 * the permission. Throws AppError unauthenticated (401) or forbidden (403). The chat proxy calls
 * this too, so the fast paths cannot drift from the routes.
 */
export async function authorizeRequest(
  permission: Access,
  request: { method: string; headers: RequestHeaders },
  surface: TokenSurface = "api",
): Promise<Principal | null> {
  if (permission === PUBLIC) return null;
  const principal = await authenticateRequest(request, surface);
  requirePermission(principal, permission);
  return principal;
}

/** The caller of a non-public request, refusing a cookie-authenticated mutation from a foreign Origin. */
async function authenticateRequest(
  request: { method: string; headers: RequestHeaders },
  surface: TokenSurface = "api",
): Promise<Principal | null> {
  const authorization = request.headers.get("authorization");
  // Only a browser attaches a cookie to a request it did not write itself; an API token is sent on
  // purpose. So only cookie-authenticated mutations are checked for a foreign Origin.
  if (!authorization && isMutating(request.method)) assertSameOrigin(request.headers);
  return authenticateHeaders({ cookie: request.headers.get("cookie"), authorization }, surface);
}

function requirePermission(principal: Principal | null, permission: Exclude<Access, typeof PUBLIC>): void {
  if (!principal) throw new AppError("unauthenticated", NOT_SIGNED_IN);
  if (!can(principal.role, permission)) throw new AppError("forbidden", "Your role does not allow this.");
}

/**
 * A cross-site form or fetch carries the victim's session cookie but names its own page in
 * `Origin` (every browser sends Origin on a POST), so a foreign Origin is refused. A request with
 * no Origin did not come from a cross-site page: browsers always send it there. `Sec-Fetch-Site`
 * backs this up for browsers that would omit Origin.
 */
export function assertSameOrigin(headers: RequestHeaders): void {
  const origin = headers.get("origin");
  const site = headers.get("sec-fetch-site");
  if (!origin) {
    if (site === "cross-site") throw crossSite("another site");
    return;
  }
  // The Host the browser addressed; a TLS-terminating ingress passes it on as X-Forwarded-Host.
  // A cross-site page cannot set either header on the victim's request.
  const host = headers.get("x-forwarded-host")?.split(",")[0]?.trim() || headers.get("host");
  let originHost: string | null = null;
  try {
    originHost = new URL(origin).host;
  } catch {
    // a malformed Origin is foreign
  }
  if (!originHost || originHost !== host) throw crossSite(origin);
}

function crossSite(origin: string): AppError {
  return new AppError(
    "forbidden",
    `Cross-site request refused: it came from ${origin.slice(0, 200)}, not from this dashboard. Use an API token for scripts.`,
  );
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
