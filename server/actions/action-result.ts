import type { ErrorCode, FieldErrors } from "@/server/errors";

/** What every server action returns to the browser: data, or an error safe to show. */
export type ActionResult<T> =
  { ok: true; data: T } | { ok: false; error: { code: ErrorCode; message: string; fieldErrors?: FieldErrors } };
