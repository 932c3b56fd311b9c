import "server-only";

import { AppError } from "@/server/errors";

import { KubeApiError } from "./kube-client";

/** The Status causes of a 422 as field errors, keyed like the form's fields (`inference.adapters.0.strength`). */
function fieldErrorsOf(error: KubeApiError): Record<string, string[]> {
  const fieldErrors: Record<string, string[]> = {};
  for (const cause of error.causes) {
    // CRDs without `spec` report fields from the object root; `<nil>` means the rule is on the root.
    const field =
      !cause.field || cause.field === "<nil>" ? "" : cause.field.replace(/^spec\./, "").replace(/\[(\d+)\]/g, ".$1");
    (fieldErrors[field] ??= []).push(cause.message ?? "invalid");
  }
  return fieldErrors;
}

/**
 * The one mapping from an apiserver failure to what a user sees. A refusal keeps the apiserver's
 * own message (RBAC's "User … cannot create resource …", an admission webhook's or Pod Security's
 * reason), because with impersonation it is that user's permissions that refused; a validation
 * failure (422 from the schema or a CEL rule) gets one message per field. Anything that is not
 * an apiserver answer means the cluster could not be reached. `refusedAt` names the field a
 * refusal belongs to (the namespace of a create), so the form and the YAML editor show it there.
 */
export function mapKubeError(error: unknown, what: string, options: { refusedAt?: string } = {}): AppError {
  if (error instanceof AppError) return error;
  if (!(error instanceof KubeApiError) || error.reason === "Timeout")
    return new AppError("unavailable", `The Kubernetes cluster could not be reached while trying to ${what}`, {
      status: 503,
      cause: error,
    });
  const { statusCode: code, message } = error;
  if (code === 409) return new AppError("conflict", `${what}: ${message || "it already exists"}`, { status: 409 });
  if (code === 404) return new AppError("not_found", `${what}: not found`, { status: 404 });
  if (code === 403)
    return new AppError("forbidden", `Kubernetes refused to ${what}: ${message}`, {
      status: 403,
      cause: error,
      ...(options.refusedAt ? { fieldErrors: { [options.refusedAt]: [message] } } : {}),
    });
  if (code === 422 || code === 400)
    return new AppError("invalid_input", message || `The cluster rejected the request to ${what}`, {
      status: 422,
      fieldErrors: fieldErrorsOf(error),
    });
  return new AppError("unavailable", `The cluster refused to ${what} (HTTP ${code})`, { status: 502, cause: error });
}
