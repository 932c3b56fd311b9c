import "server-only";

import type { PrismaClient } from "@/server/db/client";
import type { KubeIdentity } from "@/server/kube/kube-client";
import { isVisible, visibleNamespaces } from "@/server/workspaces/workspace-access";
import { toAdapterRecord, type AdapterRecord } from "./adapter-record";
import type { AdapterSettings } from "./config";
import { findAdapterAttachments, type AdapterAttachment } from "./find-adapter-attachments";

export type AdapterListing = AdapterRecord & { attachedTo: AdapterAttachment[] | null };

/** Who is looking: attachments in namespaces where they may not list Workspaces are left out. */
type Viewer = { as: KubeIdentity };

/** The attachments a viewer may see: another team's Workspace names are theirs to know. */
async function visibleAttachments(
  all: Map<string, AdapterAttachment[]>,
  as: KubeIdentity,
): Promise<Map<string, AdapterAttachment[]>> {
  const entries = [...all.values()].flat();
  const visible = await visibleNamespaces(
    as,
    entries.map((a) => a.namespace),
  );
  if (visible.all) return all;
  return new Map([...all].map(([name, list]) => [name, list.filter((a) => isVisible(visible, a.namespace))]));
}

/**
 * Adapters newest first with the workspaces using them. When the cluster cannot be reached the
 * list still renders, with `attachedTo: null` ("unknown") rather than a misleading empty list.
 */
export async function listAdapters(deps: { db: PrismaClient; settings: AdapterSettings } & Viewer): Promise<{
  adapters: AdapterListing[];
  clusterError: string | null;
}> {
  const rows = await deps.db.adapter.findMany({ orderBy: { createdAt: "desc" } });
  let attachments: Map<string, AdapterAttachment[]> | null = null;
  let clusterError: string | null = null;
  try {
    attachments = await visibleAttachments(await findAdapterAttachments(), deps.as);
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
  deps: { db: PrismaClient; settings: AdapterSettings } & Viewer,
): Promise<AdapterListing | null> {
  const row = await deps.db.adapter.findUnique({ where: { name } });
  if (!row) return null;
  const attachedTo = await findAdapterAttachments().then(
    async (all) => (await visibleAttachments(all, deps.as)).get(name) ?? [],
    () => null,
  );
  return { ...toAdapterRecord(row, deps.settings.pullHost), attachedTo };
}
