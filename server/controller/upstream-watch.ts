import "server-only";

import type { V1Deployment, V1Lease } from "@kubernetes/client-node";

import { createInformer, type Informer, type InformerHealth, type KubeObject } from "@/server/kube/create-informer";
import type { KubeClient } from "@/server/kube/kube-client";

import type { Logger } from "./logger";
import {
  findUpstreamSigns,
  UPSTREAM_DEPLOYMENT_SELECTOR,
  UPSTREAM_LEASE_NAME,
  type UpstreamSign,
} from "./upstream-signs";

export type UpstreamWatch = {
  /** Resolves once both collections have listed; rejects naming the cause when they cannot be. */
  start(timeoutMs?: number): Promise<void>;
  signs(): UpstreamSign[];
  health(): InformerHealth[];
  stop(): void;
};

/** A held Lease goes stale without any watch event: look again this often. */
const RECHECK_MS = 5_000;

/**
 * Watches, in every namespace, for upstream Kaito's controller Deployment and its leader Lease,
 * and calls `onChange` with the signs whenever the answer changes (the first time included).
 */
export function watchUpstreamController(input: {
  client: KubeClient;
  log: Logger;
  onChange: (signs: UpstreamSign[]) => void;
}): UpstreamWatch {
  const { client, log } = input;
  let last: string | undefined;
  let timer: NodeJS.Timeout | undefined;
  const signs = () => findUpstreamSigns({ deployments: deployments.list(), leases: leases.list(), now: Date.now() });
  const evaluate = () => {
    if (!deployments.health().synced || !leases.health().synced) return;
    const now = signs();
    const key = now.map((s) => `${s.kind}/${s.namespace}/${s.name}`).join(",");
    if (key === last) return;
    last = key;
    input.onChange(now);
  };
  const onError = (what: string) => (error: unknown) =>
    log.warn(`watch of ${what} (upstream Kaito detection) failed; restarting with backoff`, {
      error: error instanceof Error ? error.message : String(error),
    });
  const common = { client, watchTimeoutSeconds: 240, onAdd: evaluate, onUpdate: evaluate, onDelete: evaluate };
  const deployments: Informer<V1Deployment> = createInformer<V1Deployment>({
    ...common,
    path: "/apis/apps/v1/deployments",
    labelSelector: UPSTREAM_DEPLOYMENT_SELECTOR,
    transform: (d) => ({
      metadata: {
        name: d.metadata?.name,
        namespace: d.metadata?.namespace,
        resourceVersion: d.metadata?.resourceVersion,
        deletionTimestamp: d.metadata?.deletionTimestamp,
      },
      spec: d.spec && { replicas: d.spec.replicas, selector: d.spec.selector, template: {} },
    }),
    onError: onError("Deployments"),
  });
  const leases: Informer<V1Lease> = createInformer<V1Lease>({
    ...common,
    path: "/apis/coordination.k8s.io/v1/leases",
    fieldSelector: `metadata.name=${UPSTREAM_LEASE_NAME}`,
    onError: onError("Leases"),
  });
  const all = [deployments, leases] as Informer<KubeObject>[];

  return {
    async start(timeoutMs = 30_000) {
      await Promise.all(all.map((i) => i.start()));
      let expired: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        expired = setTimeout(() => {
          const errors = all.map((i) => i.health()).filter((h) => h.lastError);
          reject(
            new Error(
              `could not list Deployments and Leases in all namespaces to detect upstream Kaito's controller ` +
                `(the worker's RBAC needs list and watch on both): ${errors.map((h) => `${h.path}: ${h.lastError}`).join("; ") || "no answer"}`,
            ),
          );
        }, timeoutMs);
      });
      try {
        await Promise.race([Promise.all(all.map((i) => i.synced())), timeout]);
      } finally {
        clearTimeout(expired);
      }
      evaluate();
      timer = setInterval(evaluate, RECHECK_MS);
      timer.unref();
    },
    signs,
    health: () => all.map((i) => i.health()),
    stop() {
      clearInterval(timer);
      for (const i of all) i.stop();
    },
  };
}
