import "server-only";

import type { Workspace } from "@/server/kube/types/workspace";

import type { PhaseTransition } from "./derive-phase-transitions";
import { timelineRowKey, type TimelineRow, type TimelineStore } from "./timeline-store";

export type TimelineRecorder = {
  /** Stores the transitions not yet stored and announces the new ones, each exactly once, in one call. */
  record(ws: Workspace, transitions: PhaseTransition[]): Promise<void>;
};

/** Receives the transitions one record call stored for the first time (never an empty list). */
export type AnnounceTransitions = (ws: Workspace, transitions: PhaseTransition[]) => Promise<void>;

/**
 * Keeps a memory of keys already stored so that steady-state reconciles cost no database round
 * trip; after a restart the memory is empty and the unique key in the table absorbs repeats.
 */
export function createTimelineRecorder(store: TimelineStore, announce: AnnounceTransitions): TimelineRecorder {
  const seen = new Set<string>();
  return {
    async record(ws, transitions) {
      const uid = ws.metadata.uid;
      if (!uid) return;
      const rows: TimelineRow[] = transitions
        .map((t) => ({ ...t, workspaceUid: uid, namespace: ws.metadata.namespace, name: ws.metadata.name }))
        .filter((r) => !seen.has(timelineRowKey(r)));
      if (!rows.length) return;
      const inserted = await store.insertNew(rows);
      for (const r of rows) seen.add(timelineRowKey(r));
      // Events are a courtesy copy (they expire, and a terminating namespace refuses them);
      // the stored row is the record, so a failed announcement is not retried.
      if (inserted.length) await announce(ws, inserted).catch(() => undefined);
    },
  };
}
