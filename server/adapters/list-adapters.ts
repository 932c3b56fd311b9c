import "server-only";

import type { PrismaClient } from "@/server/db/client";
import { toAdapterRecord, type AdapterRecord } from "./adapter-record";
import type { AdapterSettings } from "./config";
import { findAdapterAttachments, type AdapterAttachment } from "./find-adapter-attachments";

export type AdapterListing = AdapterRecord & { attachedTo: AdapterAttachment[] | null };

/**
 * Adapters newest first with the workspaces using them. When the cluster cannot be reached the
 * list still renders, with `attachedTo: null` ("unknown") rather than a misleading empty list.
 */
export async function listAdapters(deps: { db: PrismaClient; settings: AdapterSettings }): Promise<{
  adapters: AdapterListing[];
  clusterError: string | null;
}> {
  const rows = await deps.db.adapter.findMany({ orderBy: { createdAt: "desc" } });
  let attachments: Map<string, AdapterAttachment[]> | null = null;
  let clusterError: string | null = null;
  try {
    attachments = await findAdapterAttachments();
  } catch (error) {
    clusterError = (error as Error).message;
  }
  return {
    adapters: rows.map((row) => ({
      ...toAdapterRecord(row, deps.settings.pullHost),
      attachedTo: attachments ? (attachments.get(row.name) ?? []) : null,
    })),
    clusterError,
  };
}

export async function getAdapter(
  name: string,
  deps: { db: PrismaClient; settings: AdapterSettings },
): Promise<AdapterListing | null> {
  const row = await deps.db.adapter.findUnique({ where: { name } });
  if (!row) return null;
  const attachedTo = await findAdapterAttachments().then(
    (all) => all.get(name) ?? [],
    () => null,
  );
  return { ...toAdapterRecord(row, deps.settings.pullHost), attachedTo };
}
