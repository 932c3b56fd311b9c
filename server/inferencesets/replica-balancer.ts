import "server-only";

import { LABEL_CREATED_BY_INFERENCESET } from "@/lib/kaito/inferenceset";
import type { InferenceWorkspace } from "@/server/inference/inference-types";
import { checkInferenceReady } from "@/server/inference/workspace-readiness";

/** How long a replica that answered 429 is passed over when its answer names no Retry-After. */
const DEFAULT_COOL_SECONDS = 5;

export type ReplicaBalancer = ReturnType<typeof createReplicaBalancer>;

/**
 * Spreads an InferenceSet's requests over its Ready children (the chat proxy's target may be a
 * set): least outstanding requests first, in this web process; a replica that answered 429 is
 * passed over until its Retry-After has passed, and tried only when every other one is too.
 */
export function createReplicaBalancer(now: () => number = Date.now) {
  const outstanding = new Map<string, number>();
  const coolingUntil = new Map<string, number>();
  let turn = 0;

  return {
    /** The set's children (any state), or [] when `name` is no InferenceSet with children here. */
    children(workspaces: InferenceWorkspace[], namespace: string, name: string): InferenceWorkspace[] {
      return workspaces.filter(
        (ws) => ws.metadata.namespace === namespace && ws.metadata.labels?.[LABEL_CREATED_BY_INFERENCESET] === name,
      );
    },

    /** The Ready children in the order to try them. */
    order(children: InferenceWorkspace[]): string[] {
      const ready = children.filter((ws) => checkInferenceReady(ws).ok).map((ws) => ws.metadata.name ?? "");
      // Equal loads take turns instead of always falling to the first name.
      const start = turn++ % Math.max(1, ready.length);
      const rotated = [...ready.slice(start), ...ready.slice(0, start)];
      const load = (name: string) => outstanding.get(`${children[0].metadata.namespace}/${name}`) ?? 0;
      const cooling = (name: string) => (coolingUntil.get(`${children[0].metadata.namespace}/${name}`) ?? 0) > now();
      const byLoad = (a: string, b: string) => load(a) - load(b);
      return [...rotated.filter((n) => !cooling(n)).sort(byLoad), ...rotated.filter((n) => cooling(n)).sort(byLoad)];
    },

    begin(namespace: string, name: string): () => void {
      const k = `${namespace}/${name}`;
      outstanding.set(k, (outstanding.get(k) ?? 0) + 1);
      let ended = false;
      return () => {
        if (ended) return;
        ended = true;
        const left = (outstanding.get(k) ?? 1) - 1;
        if (left > 0) outstanding.set(k, left);
        else outstanding.delete(k);
      };
    },

    cool(namespace: string, name: string, retryAfter?: string): void {
      const seconds = Number(retryAfter);
      coolingUntil.set(
        `${namespace}/${name}`,
        now() + (Number.isFinite(seconds) && seconds > 0 ? seconds : DEFAULT_COOL_SECONDS) * 1000,
      );
    },
  };
}
