"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useState } from "react";

import type { WorkspaceDetail } from "@/server/workspaces/workspace-detail-types";

import { useWorkspaceStream } from "./use-workspace-stream";

/**
 * The detail page's data: the server's first render, refreshed whenever the Workspace's event
 * stream reports a change and slowly polled for the objects that change without it (pods,
 * events). `gone` turns true once the Workspace has been deleted.
 */
export function useWorkspaceDetail(initial: WorkspaceDetail) {
  const { namespace, name } = initial.workspace.metadata;
  const key = `${namespace}/${name}`;
  const queryClient = useQueryClient();
  const [gone, setGone] = useState(false);
  const { data } = useQuery<WorkspaceDetail>({
    queryKey: ["workspace", key],
    initialData: initial,
    refetchInterval: gone ? false : 10_000,
    staleTime: 0,
    retry: false,
    queryFn: async () => {
      const response = await fetch(`/api/workspaces/${namespace}/${name}`);
      if (response.status === 404) {
        setGone(true);
        throw new Error("deleted");
      }
      if (!response.ok) throw new Error((await response.json()).error?.message ?? "refresh failed");
      return response.json();
    },
  });
  const refresh = useCallback(
    () => void queryClient.invalidateQueries({ queryKey: ["workspace", key] }),
    [queryClient, key],
  );
  const connection = useWorkspaceStream(`/api/workspaces/stream?key=${encodeURIComponent(key)}`, refresh);
  return { data, gone, connection, refresh };
}

/** The current time, moved on every 15 s so that ages ("3m") stay roughly right. */
export function useNow(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 15_000);
    return () => clearInterval(t);
  }, []);
  return now;
}
