import "server-only";

import { AppError } from "@/server/errors";

/** A refused create because its namespace does not exist, placed on the namespace field. */
export function namespaceMissingError(namespace: string): AppError {
  const message = `Namespace "${namespace}" does not exist. Choose an existing namespace, or have an admin create it.`;
  return new AppError("invalid_input", message, { fieldErrors: { "metadata.namespace": [message] } });
}
