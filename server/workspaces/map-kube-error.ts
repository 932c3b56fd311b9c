import "server-only";

import { AppError } from "@/server/errors";

type Status = { message?: string; reason?: string; details?: { causes?: { field?: string; message?: string }[] } };

function statusOf(error: unknown): { code: number; status: Status } | null {
  if (!error || typeof error !== "object" || !("code" in error)) return null;
  const code = Number((error as { code: unknown }).code);
  if (!Number.isFinite(code)) return null;
  const body = (error as { body?: unknown }).body;
  let status: Status = {};
  if (typeof body === "string") {
    try {
      status = JSON.parse(body) as Status;
    } catch {
      status = {};
    }
  } else if (body && typeof body === "object") status = body as Status;
  return { code, status };
}

/**
 * Kubernetes API errors → typed errors with a human message and, for validation failures
 * (422 from the schema or a CEL rule), one message per field. Raw bodies never reach the browser.
 */
export function mapKubeError(error: unknown, what: string): AppError {
  if (error instanceof AppError) return error;
  const parsed = statusOf(error);
  if (!parsed)
    return new AppError("unavailable", `The Kubernetes cluster could not be reached while trying to ${what}`, {
      status: 503,
    });
  const { code, status } = parsed;
  if (code === 409)
    return new AppError("conflict", `${what}: ${status.message ?? "it already exists"}`, { status: 409 });
  if (code === 404) return new AppError("not_found", `${what}: not found`, { status: 404 });
  if (code === 403)
    return new AppError("forbidden", `The dashboard's service account may not ${what}`, { status: 403 });
  if (code === 422 || code === 400) {
    const fieldErrors: Record<string, string[]> = {};
    for (const cause of status.details?.causes ?? []) {
      // CRDs without `spec` report fields from the object root; `<nil>` means the rule is on the root.
      const field =
        !cause.field || cause.field === "<nil>" ? "" : cause.field.replace(/^spec\./, "").replace(/\[(\d+)\]/g, ".$1");
      (fieldErrors[field] ??= []).push(cause.message ?? "invalid");
    }
    return new AppError("invalid_input", status.message ?? `The cluster rejected the request to ${what}`, {
      status: 422,
      fieldErrors,
    });
  }
  return new AppError("unavailable", `The cluster refused to ${what} (HTTP ${code})`, { status: 502 });
}
