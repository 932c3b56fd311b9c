import "server-only";

import { createInformer, type Informer } from "@/server/kube/create-informer";
import { getKubeClient } from "@/server/kube/get-kube-client";
import type { InferenceSet } from "@/server/kube/types/inferenceset";

import { ALL_INFERENCESETS_PATH } from "./inferenceset-paths";
import { summarizeInferenceSet, type InferenceSetRow } from "./summarize-inferenceset";

/**
 * One list+watch of every InferenceSet for the web process (the same informer as the workspace
 * cache: bounded watches, re-list after 410 Gone), so the workspace list never lists per page
 * view. It reads with the web's own ServiceAccount; rows are narrowed per person by the caller.
 * On a cluster without the InferenceSet CRD the list fails and the page shows no sets.
 */
class InferenceSetCache {
  private readonly informer: Promise<Informer<InferenceSet>>;

  constructor() {
    this.informer = getKubeClient().then((client) => {
      const informer = createInformer<InferenceSet>({
        client,
        path: ALL_INFERENCESETS_PATH,
        watchTimeoutSeconds: 240,
        transform: (set) => {
          delete (set.metadata as { managedFields?: unknown }).managedFields;
          return set;
        },
      });
      void informer.start();
      return informer;
    });
  }

  /** The rows once the first list is in, or [] when it does not come within `timeoutMs`. */
  async listRows(timeoutMs = 3_000): Promise<InferenceSetRow[]> {
    const informer = await this.informer;
    let timer: NodeJS.Timeout | undefined;
    const synced = await Promise.race([
      informer.synced().then(() => true),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs))),
    ]);
    clearTimeout(timer);
    return synced ? informer.list().map(summarizeInferenceSet) : [];
  }
}

const globalForCache = globalThis as unknown as { inferenceSetCache?: InferenceSetCache };

/** The process-wide cache (on globalThis: Next.js may load this module more than once). */
export function getInferenceSetCache(): InferenceSetCache {
  globalForCache.inferenceSetCache ??= new InferenceSetCache();
  return globalForCache.inferenceSetCache;
}
