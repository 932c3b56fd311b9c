import "server-only";

import { AppError, type ErrorCode } from "@/server/errors";

export type AdapterErrorReason =
  | "invalid_input"
  | "invalid_config"
  | "invalid_safetensors"
  | "invalid_archive"
  | "too_large"
  | "duplicate_name"
  | "not_found"
  | "conflict"
  | "registry_unavailable"
  | "registry_unauthorized"
  | "registry_error";

const MAPPING: Record<AdapterErrorReason, { code: ErrorCode; status: number }> = {
  invalid_input: { code: "invalid_input", status: 400 },
  invalid_config: { code: "invalid_input", status: 400 },
  invalid_safetensors: { code: "invalid_input", status: 400 },
  invalid_archive: { code: "invalid_input", status: 400 },
  too_large: { code: "invalid_input", status: 413 },
  duplicate_name: { code: "conflict", status: 409 },
  not_found: { code: "not_found", status: 404 },
  conflict: { code: "conflict", status: 409 },
  // The registry is an upstream of ours: its failures are a bad gateway, not our 500.
  registry_unavailable: { code: "unavailable", status: 502 },
  registry_unauthorized: { code: "unavailable", status: 502 },
  registry_error: { code: "unavailable", status: 502 },
};

/**
 * A failure of the adapter pipeline with a message fit for the user and, where one form field
 * is to blame, that field (so the upload form shows the message in place). `reason` is finer
 * than the shared error code, for tests and logs.
 */
export class AdapterError extends AppError {
  override name = "AdapterError";
  constructor(
    readonly reason: AdapterErrorReason,
    message: string,
    readonly field?: string,
  ) {
    super(MAPPING[reason].code, message, {
      status: MAPPING[reason].status,
      fieldErrors: field ? { [field]: [message] } : undefined,
    });
  }
}
