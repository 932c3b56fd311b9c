"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";

import type { WorkspaceRow } from "@/server/workspaces/summarize-workspace";

export type RowMap = Map<string, WorkspaceRow>;
export const workspacesQueryKey = ["workspaces"] as const;

type Change =
  { type: "snapshot"; rows: WorkspaceRow[] } | { type: "upsert"; row: WorkspaceRow } | { type: "delete"; key: string };

/**
 * Keeps react-query's workspace rows in step with the server's watch cache over one
 * EventSource. Changes arriving in a burst (a rollout touches hundreds of rows) are applied
 * together once per animation frame, so the list renders once per frame, not once per event.
 */
export function useWorkspaceStream(
  url = "/api/workspaces/stream",
  onChange?: (key: string) => void,
): "live" | "connecting" {
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<"live" | "connecting">("connecting");
  useEffect(() => {
    const source = new EventSource(url);
    let pending: Change[] = [];
    let frame = 0;
    const flush = () => {
      frame = 0;
      const batch = pending;
      pending = [];
      queryClient.setQueryData<RowMap>(workspacesQueryKey, (previous) => {
        let next = new Map(previous ?? []);
        for (const change of batch) {
          if (change.type === "snapshot") next = new Map(change.rows.map((r) => [r.key, r]));
          else if (change.type === "upsert") next.set(change.row.key, change.row);
          else next.delete(change.key);
        }
        return next;
      });
      for (const change of batch)
        onChange?.(change.type === "upsert" ? change.row.key : change.type === "delete" ? change.key : "");
    };
    const enqueue = (change: Change) => {
      pending.push(change);
      if (!frame) frame = requestAnimationFrame(flush);
    };
    source.addEventListener("snapshot", (e) => {
      setStatus("live");
      enqueue({ type: "snapshot", rows: JSON.parse((e as MessageEvent).data) });
    });
    source.addEventListener("upsert", (e) => enqueue({ type: "upsert", row: JSON.parse((e as MessageEvent).data) }));
    source.addEventListener("delete", (e) =>
      enqueue({ type: "delete", key: JSON.parse((e as MessageEvent).data).key }),
    );
    source.onerror = () => setStatus("connecting");
    return () => {
      source.close();
      if (frame) cancelAnimationFrame(frame);
    };
  }, [url, queryClient, onChange]);
  return status;
}
