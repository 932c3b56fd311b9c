import "server-only";

import { getDb, type PrismaClient } from "@/server/db/client";

import { adapterSettings, type AdapterSettings } from "./config";

export type AdapterDeps = { db: PrismaClient; settings: AdapterSettings };

/** The database and settings every adapter operation runs against, so callers never assemble them. */
export async function adapterDeps(): Promise<AdapterDeps> {
  return { db: await getDb(), settings: adapterSettings() };
}
