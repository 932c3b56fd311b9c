import type { KubeConfig } from "@kubernetes/client-node";

import { findPreset, servedModelId } from "@/lib/kaito/presets";
import { createKubeClient, isNotFound } from "@/server/kube/kube-client";
import { workspacesPath } from "@/server/kube/kube-paths";

/** What one Workspace's inference server would list under GET /v1/models. */
export type ServedModels = { modelId: string; root: string; adapters: string[] };

export type ModelSource = (namespace: string, name: string) => Promise<ServedModels | null>;

type WorkspaceLike = {
  inference?: {
    preset?: { name?: string };
    adapters?: { source?: { name?: string } }[];
  };
};

export function servedModelsOf(workspace: WorkspaceLike, workspaceName: string): ServedModels | null {
  if (!workspace.inference) return null;
  const preset = workspace.inference.preset?.name;
  // A template workspace runs whatever image the user chose; vLLM would serve it under the workspace name.
  const modelId = preset ? servedModelId(preset) : workspaceName;
  const root = preset ? (findPreset(preset)?.huggingFaceId ?? preset) : workspaceName;
  const adapters = (workspace.inference.adapters ?? []).map((a) => a.source?.name).filter((n): n is string => !!n);
  return { modelId, root, adapters };
}

/**
 * Reads the Workspace from the cluster, like the real pod would know its own preset from its
 * arguments. Cached briefly so a burst of requests costs one GET; adapters attached later show
 * up within the TTL, as they would after the real pod restarts.
 */
export function clusterModelSource(kc: KubeConfig, ttlMs = 2000): ModelSource {
  let client: ReturnType<typeof createKubeClient> | undefined;
  const cache = new Map<string, { at: number; value: Promise<ServedModels | null> }>();
  return (namespace, name) => {
    const key = `${namespace}/${name}`;
    const hit = cache.get(key);
    if (hit && Date.now() - hit.at < ttlMs) return hit.value;
    const value = (client ??= createKubeClient(kc))
      .then((kube) => kube.request<WorkspaceLike>({ method: "GET", path: workspacesPath(namespace, name) }))
      .then((ws) => servedModelsOf(ws, name))
      .catch((err: unknown) => {
        if (isNotFound(err)) return null;
        cache.delete(key);
        throw err;
      });
    cache.set(key, { at: Date.now(), value });
    return value;
  };
}

/** Without a cluster (benchmarks, unit tests) every routed name is a model of that name. */
export function pathModelSource(): ModelSource {
  return async (_namespace, name) => ({ modelId: name, root: name, adapters: [] });
}
