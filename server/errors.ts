import "server-only";

export type ErrorCode =
  | "invalid_input"
  | "unauthenticated"
  | "forbidden"
  | "not_found"
  | "conflict"
  | "rate_limited"
  | "unavailable"
  | "internal";

const DEFAULT_STATUS: Record<ErrorCode, number> = {
  invalid_input: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  rate_limited: 429,
  unavailable: 503,
  internal: 500,
};

export type FieldErrors = Record<string, string[]>;

/**
 * An error whose message is safe to show to the user. Anything else thrown inside an action or
 * route is logged on the server and reaches the browser only as a generic "internal" error.
 */
export class AppError extends Error {
  override name = "AppError";
  readonly status: number;
  readonly fieldErrors?: FieldErrors;

  constructor(
    readonly code: ErrorCode,
    message: string,
    options: { status?: number; fieldErrors?: FieldErrors; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.status = options.status ?? DEFAULT_STATUS[code];
    this.fieldErrors = options.fieldErrors;
  }

  toJSON(): { code: ErrorCode; message: string; fieldErrors?: FieldErrors } {
    return { code: this.code, message: this.message, ...(this.fieldErrors ? { fieldErrors: this.fieldErrors } : {}) };
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}

/** Prisma's known request errors carry a code; map the ones a user can cause to AppErrors. */
export function mapDatabaseError(error: unknown): AppError | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== "string" || !/^P\d{4}$/.test(code)) return undefined;
  if (code === "P2002") return new AppError("conflict", "An object with that name already exists.", { cause: error });
  if (code === "P2025") return new AppError("not_found", "The object no longer exists.", { cause: error });
  return new AppError("internal", "The database rejected the request.", { cause: error });
}

/** Turns anything thrown into an AppError the browser may see. */
export function toAppError(error: unknown): AppError {
  if (isAppError(error)) return error;
  return mapDatabaseError(error) ?? new AppError("internal", "Something went wrong on the server.", { cause: error });
}
