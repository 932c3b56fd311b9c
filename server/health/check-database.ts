import "server-only";

import { getDb } from "@/server/db/client";

const DB_CHECK_TIMEOUT_MS = 2000;

/** Resolves when the database answers a query (migrations applied on first connect) within 2 s. */
export async function checkDatabase(): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${DB_CHECK_TIMEOUT_MS} ms`)), DB_CHECK_TIMEOUT_MS);
  });
  try {
    await Promise.race([getDb().then((db) => db.$queryRaw`SELECT 1`), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
