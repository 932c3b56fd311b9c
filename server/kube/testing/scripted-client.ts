// Test double of the apiserver for informer-based code: lists and watches answer from a script.
import type { KubeClient, KubeRequest, WatchEvent } from "../kube-client";

export type Script<T> = {
  lists: { items: T[]; resourceVersion: string }[];
  watches: ((emit: (e: WatchEvent) => void) => Promise<void>)[];
};

/** An apiserver double that answers lists and watches from a script and records what it was asked. */
export function scriptedClient<T>(script: Script<T>) {
  const asked: string[] = [];
  const client: KubeClient = {
    async request<R>(_req: KubeRequest): Promise<R> {
      const page = script.lists.shift();
      if (!page) throw new Error("unexpected list");
      asked.push(`list`);
      return { items: page.items, metadata: { resourceVersion: page.resourceVersion } } as R;
    },
    as() {
      throw new Error("the informer never impersonates");
    },
    async watch(_path, query, onEvent, signal) {
      asked.push(`watch from ${String(query?.resourceVersion)}`);
      const next = script.watches.shift();
      if (!next) return new Promise((_, reject) => signal.addEventListener("abort", () => reject(new Error("stop"))));
      return next(onEvent);
    },
  };
  return { client, asked };
}
