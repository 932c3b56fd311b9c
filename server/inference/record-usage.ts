import "server-only";

import { getDb } from "@/server/db/client";

import type { UsageRecord } from "./inference-types";

const MAX_TEXT = 100_000;

export async function recordUsage(record: UsageRecord): Promise<void> {
  const db = await getDb();
  await db.inferenceUsage.create({
    data: {
      ...record,
      promptText: record.promptText?.slice(0, MAX_TEXT) ?? null,
      responseText: record.responseText?.slice(0, MAX_TEXT) ?? null,
    },
  });
}
