import "server-only";

import type http from "node:http";

import type { AuditTarget } from "@/server/audit/audit-event";
import { ensureAuditWritable, recordAuditEvent } from "@/server/audit/record-audit-event";
import { requestContextFromHeaders } from "@/server/audit/request-context";
import { authenticateHeaders } from "@/server/auth/authenticate-headers";
import { can } from "@/server/auth/permissions";
import type { Principal } from "@/server/auth/principal";
import { getDb } from "@/server/db/client";
import { AppError, toAppError } from "@/server/errors";

import { AdapterError } from "./adapter-error";
import { adapterSettings } from "./config";
import { uploadAdapter } from "./upload-adapter";

const UPLOAD_PATH = "/api/adapters";

/**
 * `POST /api/adapters` is served by the web server's node:http handler before Next.js sees it,
 * like /api/inference: the IncomingMessage streams to disk with node's own backpressure, with no
 * Web ReadableStream adaptation of a multi-GiB body in between.
 */
export function isAdapterUpload(req: http.IncomingMessage): boolean {
  return req.method === "POST" && req.url?.split("?")[0] === UPLOAD_PATH;
}

/**
 * The same contract as the Next route it shadows (app/api/adapters/route.ts): session cookie or
 * bearer token, `adapter:write`, exactly one `adapter.upload` audit event, `{ adapter }` with 201
 * or `{ error: { code, message, fieldErrors? } }` with the error's status.
 */
export async function handleAdapterUpload(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const headers = { get: (name: string) => headerValue(req, name) };
  const context = requestContextFromHeaders(headers);
  let principal: Principal | null = null;
  let status: number;
  let body: unknown;
  let summary: string;
  let target: AuditTarget | undefined;

  try {
    principal = await authenticateHeaders({ cookie: req.headers.cookie, authorization: req.headers.authorization });
    if (!principal) throw new AppError("unauthenticated", "Sign in or send a valid API token.");
    if (!can(principal.role, "adapter:write")) throw new AppError("forbidden", "Your role does not allow this.");
    if (!req.headers.authorization) assertSameOrigin(req);
    await ensureAuditWritable();

    const settings = adapterSettings();
    if (Number(req.headers["content-length"]) > settings.maxBytes) {
      throw new AdapterError("too_large", `The upload is larger than the limit of ${settings.maxBytes} bytes`, "files");
    }
    const record = await uploadAdapter(
      req,
      headerValue(req, "content-type"),
      { userId: principal.userId, email: principal.email },
      { db: await getDb(), settings },
    );
    status = 201;
    body = { adapter: record };
    target = { kind: "Adapter", name: record.name };
    summary = `Published adapter ${record.name} (${record.baseModel}) as ${record.image}`;
  } catch (error) {
    const appError = toAppError(error);
    if (appError.code === "internal") console.error(`POST ${UPLOAD_PATH} failed`, error);
    status = appError.status;
    body = { error: appError.toJSON() };
    summary = appError.message;
  }

  const outcome = status < 400 ? "succeeded" : status === 401 || status === 403 ? "denied" : "failed";
  try {
    await recordAuditEvent({ action: "adapter.upload", outcome, summary, actor: principal, target, context });
  } catch (error) {
    console.error("audit event could not be written", error);
  }

  res.writeHead(status, {
    "content-type": "application/json",
    "cache-control": "no-store",
    "x-content-type-options": "nosniff",
    "x-request-id": context.requestId,
    // Refused before the body was read: close rather than read the rest of a multi-GiB body.
    ...(req.complete ? {} : { connection: "close" }),
  });
  res.end(JSON.stringify(body));
}

function headerValue(req: http.IncomingMessage, name: string): string | null {
  const value = req.headers[name.toLowerCase()];
  return Array.isArray(value) ? value.join(", ") : (value ?? null);
}

/** A session cookie rides along on cross-site form posts; such a post names a foreign Origin. */
function assertSameOrigin(req: http.IncomingMessage): void {
  const origin = headerValue(req, "origin");
  if (!origin) return;
  const host = headerValue(req, "x-forwarded-host") ?? headerValue(req, "host");
  let originHost: string | null = null;
  try {
    originHost = new URL(origin).host;
  } catch {
    // a malformed Origin is foreign
  }
  if (originHost !== host) throw new AppError("forbidden", "Cross-site uploads are not allowed.");
}
