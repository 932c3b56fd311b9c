import "server-only";

import { AppError, isAppError } from "@/server/errors";

/**
 * Runs a read of a Workspace page and hands back Kubernetes' refusal as a value, so that the page
 * shows the apiserver's reason where the person looked instead of an error page; other errors throw.
 */
export async function readUnlessRefused<T>(read: Promise<T>): Promise<T | AppError> {
  try {
    return await read;
  } catch (error) {
    if (isAppError(error) && error.code === "forbidden") return error;
    throw error;
  }
}
