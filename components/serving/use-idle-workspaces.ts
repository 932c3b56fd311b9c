"use client";

import { useQuery } from "@tanstack/react-query";

import type { IdleWorkspaces } from "@/server/metrics/get-idle-workspaces";

const NONE: IdleWorkspaces = { idleHours: 24, workspaces: [] };

/**
 * The list's idle flags: one request for the whole page, refreshed every few minutes (idleness
 * is counted in hours). Without Prometheus, or when it fails, there are simply no flags: the list
 * is about the Workspaces, and the fleet page says plainly when metrics are unavailable.
 */
export function useIdleWorkspaces(): { idleHours: number; gpusOf: (key: string) => number | undefined } {
  const { data } = useQuery({
    queryKey: ["idle-workspaces"],
    queryFn: async (): Promise<IdleWorkspaces> => {
      const response = await fetch("/api/metrics/idle").catch(() => null);
      return response?.ok ? ((await response.json()) as IdleWorkspaces) : NONE;
    },
    refetchInterval: 120_000,
    retry: false,
  });
  const answer = data ?? NONE;
  const idle = new Map(answer.workspaces.map((w) => [`${w.namespace}/${w.name}`, w.gpus]));
  return { idleHours: answer.idleHours, gpusOf: (key) => idle.get(key) };
}
