"use client";

import { useQuery } from "@tanstack/react-query";

export type ReadyWorkspace = {
  namespace: string;
  name: string;
  preset: string | null;
  adapters: string[];
  /** The InferenceSet this Workspace is a replica of. */
  inferenceSet: string | null;
};
export type ServedModel = { id: string; parent: string | null };

async function getJson<T>(url: string): Promise<T> {
  const response = await fetch(url);
  const body = (await response.json().catch(() => ({}))) as T & { error?: { message?: string } };
  if (!response.ok) throw new Error(body.error?.message ?? `HTTP ${response.status}`);
  return body;
}

/** Workspaces whose InferenceReady is True, as the proxy sees them; others are never offered. */
export function useReadyWorkspaces() {
  return useQuery({
    queryKey: ["inference", "workspaces"],
    queryFn: async () => (await getJson<{ data: ReadyWorkspace[] }>("/api/inference/workspaces")).data,
    staleTime: 10_000,
    refetchInterval: 15_000,
  });
}

/** The model ids the server lists under /v1/models (for a set, one replica's): the base model, then its adapters. */
export function useServedModels(workspace: { namespace: string; name: string } | null) {
  return useQuery({
    queryKey: ["inference", "models", workspace?.namespace, workspace?.name],
    enabled: !!workspace,
    queryFn: async () =>
      (
        await getJson<{ data: ServedModel[] }>(`/api/inference/${workspace!.namespace}/${workspace!.name}/v1/models`)
      ).data.map((m) => ({ id: m.id, parent: m.parent ?? null })),
    staleTime: 30_000,
  });
}
