import "server-only";

import { createPrismaTimelineStore, type TimelineRow } from "./timeline-store";

export type { TimelineRow };

export type WorkspaceTimeline = {
  workspaceUid: string | null;
  events: TimelineRow[];
};

/**
 * The recorded phase transitions of the Workspace `namespace/name`, oldest first. A name can be
 * reused after deletion, so only the most recent incarnation (the uid recorded last) is returned.
 */
export async function getWorkspaceTimeline(namespace: string, name: string): Promise<WorkspaceTimeline> {
  const rows = await createPrismaTimelineStore().list(namespace, name);
  if (!rows.length) return { workspaceUid: null, events: [] };
  const latest = rows.reduce((a, b) => (b.occurredAt >= a.occurredAt ? b : a)).workspaceUid;
  return { workspaceUid: latest, events: rows.filter((r) => r.workspaceUid === latest) };
}
