import "server-only";

import { randomUUID } from "node:crypto";

import { Gauge } from "prom-client";

import { KAITO_GROUP } from "@/lib/kaito/api";
import { INFERENCESET_PLURAL, INFERENCESET_VERSION, LABEL_CREATED_BY_INFERENCESET } from "@/lib/kaito/inferenceset";
import { createInformer, objectKey, type Informer, type InformerHealth } from "@/server/kube/create-informer";
import { KubeApiError, isNotFound, type KubeClient } from "@/server/kube/kube-client";
import { ALL_WORKSPACES_PATH } from "@/server/kube/kube-paths";
import type { InferenceSet } from "@/server/kube/types/inferenceset";
import type { Workspace } from "@/server/kube/types/workspace";

import type { ControllerConfig } from "../config";
import type { Logger } from "../logger";
import type { ControllerMetrics } from "../metrics";
import { trimWorkspace } from "../trim-cached-objects";
import { createWorkQueue } from "../work-queue";
import { inferenceSetConfig } from "./config";
import { createKedaDetector } from "./ensure-autoscaling";
import type { InferenceSetContext } from "./inferenceset-context";
import { INFERENCESETS_PATH } from "./inferenceset-paths";
import { reconcileInferenceSet } from "./reconcile-inferenceset";

export type RunningInferenceSetController = {
  ready(): boolean;
  informerHealth(): InformerHealth[];
  stop(): Promise<void>;
};

/** Sets are few and their passes short: a handful of workers keeps 0 → 200 scale-ups moving. */
const CONCURRENCY = 8;

/** True when the apiserver serves InferenceSets (the CRD is installed); discovery needs no RBAC. */
async function inferenceSetsServed(client: KubeClient): Promise<boolean> {
  try {
    const list = await client.request<{ resources: { name: string }[] }>({
      method: "GET",
      path: `/apis/${KAITO_GROUP}/${INFERENCESET_VERSION}`,
    });
    return list.resources.some((r) => r.name === INFERENCESET_PLURAL);
  } catch (error) {
    if (isNotFound(error)) return false;
    throw error;
  }
}

/** `kaito_inferenceset_replicas{namespace, inferenceset, kind=desired|current|ready}` on the worker's registry. */
function reportReplicas(metrics: ControllerMetrics | undefined): InferenceSetContext["report"] {
  if (!metrics) return () => undefined;
  const name = "kaito_inferenceset_replicas";
  // A worker that loses and regains the Lease starts the controller again on the same registry.
  const gauge =
    (metrics.registry.getSingleMetric(name) as Gauge | undefined) ??
    new Gauge({
      name,
      help: "Replicas of each InferenceSet: desired (spec.replicas), current (child Workspaces) and ready",
      labelNames: ["namespace", "inferenceset", "kind"],
      registers: [metrics.registry],
    });
  return (key, counts) => {
    const [namespace, inferenceset] = key.split("/");
    for (const kind of ["desired", "current", "ready"] as const) {
      if (counts) gauge.set({ namespace, inferenceset, kind }, counts[kind]);
      else gauge.remove({ namespace, inferenceset, kind });
    }
  };
}

const childSetKey = (ws: Workspace) => {
  const name = ws.metadata.labels?.[LABEL_CREATED_BY_INFERENCESET];
  return name ? `${ws.metadata.namespace}/${name}` : undefined;
};

/**
 * The InferenceSet controller (docs/controller.md, "InferenceSets"): its own two informers (sets,
 * and Workspaces carrying the created-by label) and work queue, started by the leader beside
 * the Workspace controller. A cluster without the InferenceSet CRD runs without it.
 */
export async function startInferenceSetController(input: {
  client: KubeClient;
  config: ControllerConfig;
  log: Logger;
  metrics?: ControllerMetrics;
}): Promise<RunningInferenceSetController> {
  const { client, config, metrics } = input;
  const log = input.log.child({ controller: "inferenceset" });
  if (!(await inferenceSetsServed(client))) {
    log.warn("the InferenceSet CRD is not installed; InferenceSets are not reconciled");
    return { ready: () => true, informerHealth: () => [], stop: async () => undefined };
  }

  let enqueue: (key: string | undefined) => void = () => undefined;
  const only = config.CONTROLLER_NAMESPACE;
  const scoped = (collection: string, plural: string) =>
    only ? collection.replace(new RegExp(`/${plural}$`), `/namespaces/${only}/${plural}`) : collection;
  const onError = (path: string) => (error: unknown) =>
    log.warn("watch failed; restarting with backoff", {
      path,
      error: error instanceof Error ? error.message : String(error),
      code: error instanceof KubeApiError ? error.statusCode : undefined,
    });

  const sets: Informer<InferenceSet> = createInformer<InferenceSet>({
    client,
    path: scoped(INFERENCESETS_PATH, INFERENCESET_PLURAL),
    watchTimeoutSeconds: 240,
    transform: (set) => {
      const { managedFields: _dropped, ...metadata } = set.metadata as InferenceSet["metadata"] & {
        managedFields?: unknown;
      };
      return { ...set, metadata };
    },
    onAdd: (set) => enqueue(objectKey(set)),
    onUpdate: (set) => enqueue(objectKey(set)),
    onDelete: (set) => enqueue(objectKey(set)),
    onError: onError(INFERENCESETS_PATH),
  });
  const children: Informer<Workspace> = createInformer<Workspace>({
    client,
    path: scoped(ALL_WORKSPACES_PATH, "workspaces"),
    labelSelector: LABEL_CREATED_BY_INFERENCESET,
    watchTimeoutSeconds: 240,
    transform: trimWorkspace,
    indexBy: childSetKey,
    onAdd: (ws) => enqueue(childSetKey(ws)),
    // A child's status (WorkspaceSucceeded) is what readyReplicas counts.
    onUpdate: (ws) => enqueue(childSetKey(ws)),
    onDelete: (ws) => enqueue(childSetKey(ws)),
    onError: onError(ALL_WORKSPACES_PATH),
  });

  const ctx: InferenceSetContext = {
    client,
    sets,
    children,
    log,
    deleting: new Map(),
    blocked: new Map(),
    lastStatus: new Map(),
    config: inferenceSetConfig(),
    kedaInstalled: createKedaDetector(client),
    scaledObjects: new Map(),
    report: reportReplicas(metrics),
  };
  const queue = createWorkQueue(
    async (key) => {
      const slog = log.child({ inferenceset: key, reconcileId: randomUUID().slice(0, 8) });
      try {
        return await reconcileInferenceSet(ctx, key, slog);
      } catch (error) {
        const reason = error instanceof KubeApiError ? error.reason || String(error.statusCode) : String(error);
        (reason === "Conflict" ? slog.debug : slog.warn)("reconcile failed; retrying with backoff", { reason, error });
        throw error;
      }
    },
    { concurrency: CONCURRENCY },
  );

  // As the Workspace controller does: the first pass of a set already sees its existing children.
  await Promise.all([sets.start(), children.start()]);
  await Promise.all([sets.synced(), children.synced()]);
  enqueue = (key) => key && queue.add(key);
  for (const set of sets.list()) queue.add(objectKey(set), "low");
  log.info("inferenceset controller started", { inferenceSets: sets.list().length });

  return {
    ready: () => sets.health().synced && children.health().synced,
    informerHealth: () => [sets.health(), children.health()],
    async stop() {
      sets.stop();
      children.stop();
      await queue.shutDown();
    },
  };
}
