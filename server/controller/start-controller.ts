import "server-only";

import { randomUUID } from "node:crypto";

import type { V1Job, V1Node, V1ObjectMeta, V1Pod, V1Service, V1StatefulSet } from "@kubernetes/client-node";

import { ConditionType } from "@/lib/kaito/conditions";
import { LABEL_WORKSPACE, LABEL_WORKSPACE_NAMESPACE } from "@/lib/kaito/labels";
import { createInformer, type Informer, type KubeObject } from "@/server/kube/create-informer";
import type { KubeClient } from "@/server/kube/kube-client";
import { KubeApiError } from "@/server/kube/kube-client";
import type { NodeClaim } from "@/server/kube/types/nodeclaim";
import { workspaceKey, type Workspace } from "@/server/kube/types/workspace";
import { Phase } from "@/server/timeline/derive-phase-transitions";
import { createTimelineRecorder, type TimelineRecorder } from "@/server/timeline/record-timeline";
import { createMemoryTimelineStore, createPrismaTimelineStore } from "@/server/timeline/timeline-store";
import { ALL_NODECLAIMS_PATH, ALL_WORKSPACES_PATH } from "@/server/kube/kube-paths";

import type { ControllerConfig } from "./config";
import { startInferenceSetController } from "./inferenceset/start-inferenceset-controller";
import type { ControllerCaches, ControllerContext } from "./controller-context";
import { emitWorkspaceEvent } from "./emit-workspace-event";
import type { Logger } from "./logger";
import type { ControllerMetrics } from "./metrics";
import { observeWorkspace } from "./observe-workspace";
import { reconcileWorkspace } from "./reconcile-workspace";
import { foreignStatusManager } from "./upstream-signs";
import { createSemaphore } from "./semaphore";
import { summarizePhaseEvents } from "./summarize-phase-events";
import {
  trimJob,
  trimNode,
  trimNodeClaim,
  trimPod,
  trimService,
  trimStatefulSet,
  trimWorkspace,
} from "./trim-cached-objects";
import { createWorkQueue, type Priority, type WorkQueue } from "./work-queue";

export type RunningController = {
  caches: ControllerCaches;
  queue: WorkQueue;
  /** True once every informer has listed. */
  ready(): boolean;
  informerHealth(): ReturnType<Informer<KubeObject>["health"]>[];
  stop(): Promise<void>;
};

const WORKSPACE_SELECTOR = LABEL_WORKSPACE;
/** At most this many timeline recordings in flight (see ControllerContext.timelineSlots). */
const TIMELINE_CONCURRENCY = 8;

/**
 * Kubelets (and KWOK) rewrite every Node's status each few seconds for heartbeats. Only what
 * the controller reads counts as a change; otherwise an idle cluster of 1,000 GPU nodes would
 * keep the worker reconciling all the time.
 */
function nodeChanged(node: V1Node, old: V1Node): boolean {
  const view = (n: V1Node) =>
    JSON.stringify([
      n.metadata?.labels,
      n.metadata?.deletionTimestamp,
      n.spec?.unschedulable,
      n.status?.capacity?.["nvidia.com/gpu"],
      n.status?.conditions?.map((c) => [c.type, c.status]),
    ]);
  return view(node) !== view(old);
}

function createTimeline(config: ControllerConfig, client: KubeClient): TimelineRecorder | null {
  if (config.CONTROLLER_TIMELINE === "off") return null;
  // An observer writes nothing to Kubernetes, Events included; the rows are the record.
  const emitEvents = config.CONTROLLER_PHASE_EVENTS && config.CONTROLLER_MODE === "reconcile";
  const store = config.CONTROLLER_TIMELINE === "memory" ? createMemoryTimelineStore() : createPrismaTimelineStore();
  // Finer phases seen since a Workspace's last Event, by uid; they ride along in the next one.
  const pending = new Map<string, string[]>();
  return createTimelineRecorder(store, async (ws, transitions) => {
    if (!emitEvents || !ws.metadata.uid) return;
    const uid = ws.metadata.uid;
    const summary = summarizePhaseEvents(transitions, pending.get(uid) ?? []);
    if (summary.pending.length && !transitions.some((t) => t.phase === Phase.Deleted))
      pending.set(uid, summary.pending);
    else pending.delete(uid);
    await Promise.allSettled(summary.events.map((e) => emitWorkspaceEvent(client, ws, e)));
  });
}

/**
 * Wires informers → work queue → reconcileWorkspace. Only the leader calls this; informers
 * start first and the queue only drains once all of them have listed, so the first reconcile
 * of each Workspace already sees the NodeClaims an earlier worker created.
 */
export async function startController(input: {
  client: KubeClient;
  config: ControllerConfig;
  log: Logger;
  metrics?: ControllerMetrics;
}): Promise<RunningController> {
  const { client, config, log, metrics } = input;
  let queue: WorkQueue | undefined;
  const enqueue = (key: string | undefined, priority?: Priority) => key && queue?.add(key, priority);
  const byLabel = (o: KubeObject & { metadata?: { labels?: Record<string, string> } }) => {
    const name = o.metadata?.labels?.[LABEL_WORKSPACE];
    return name && o.metadata?.namespace ? `${o.metadata.namespace}/${name}` : undefined;
  };
  const byController = (o: KubeObject & { metadata?: V1ObjectMeta }) => {
    const owner = o.metadata?.ownerReferences?.find((r) => r.controller && r.kind === "Workspace");
    return owner && o.metadata?.namespace ? `${o.metadata.namespace}/${owner.name}` : undefined;
  };
  const claimOwner = (c: NodeClaim) => {
    const labels = c.metadata.labels ?? {};
    return labels[LABEL_WORKSPACE] && labels[LABEL_WORKSPACE_NAMESPACE]
      ? `${labels[LABEL_WORKSPACE_NAMESPACE]}/${labels[LABEL_WORKSPACE]}`
      : undefined;
  };
  const onError = (path: string) => (error: unknown) =>
    log.warn("watch failed; restarting with backoff", {
      path,
      error: error instanceof Error ? error.message : String(error),
      code: error instanceof KubeApiError ? error.statusCode : undefined,
    });

  function informer<T extends KubeObject>(
    path: string,
    labelSelector: string | undefined,
    toKey: (o: T) => string | undefined | string[],
    more: {
      transform: (o: T) => T;
      relevant?: (o: T, old: T) => boolean;
      addedPriority?: Priority;
      /** Index the cache by the Workspace key the object maps to (reconciles read it per Workspace). */
      indexByKey?: boolean;
    },
  ) {
    const relevant = more.relevant ?? (() => true);
    const handle = (o: T, priority?: Priority) => {
      const keys = toKey(o);
      for (const k of Array.isArray(keys) ? keys : [keys]) enqueue(k, priority);
    };
    return createInformer<T>({
      client,
      path,
      labelSelector,
      watchTimeoutSeconds: 240,
      transform: more.transform,
      indexBy: more.indexByKey ? (o) => [toKey(o)].flat()[0] : undefined,
      onAdd: (o) => handle(o, more.addedPriority ?? "high"),
      onUpdate: (o, old) => {
        if (relevant(o, old)) handle(o);
      },
      onDelete: handle,
      onError: onError(path),
    });
  }

  // With CONTROLLER_NAMESPACE, namespaced collections are read from that namespace only and
  // NodeClaims (cluster-scoped) are narrowed by their workspace-namespace label.
  const only = config.CONTROLLER_NAMESPACE;
  const scoped = (group: string, plural: string) =>
    only ? `${group}/namespaces/${only}/${plural}` : `${group}/${plural}`;
  const claimSelector = only ? `${WORKSPACE_SELECTOR},${LABEL_WORKSPACE_NAMESPACE}=${only}` : WORKSPACE_SELECTOR;
  const workspaces = informer<Workspace>(
    scoped(ALL_WORKSPACES_PATH.replace(/\/workspaces$/, ""), "workspaces"),
    undefined,
    (ws) => workspaceKey(ws),
    // A new Workspace queues behind the ones already in progress (see Priority).
    { transform: trimWorkspace, addedPriority: "low" },
  );
  const nodeClaims = informer<NodeClaim>(ALL_NODECLAIMS_PATH, claimSelector, claimOwner, { transform: trimNodeClaim });
  const nodes: Informer<V1Node> = informer<V1Node>(
    "/api/v1/nodes",
    undefined,
    (node) => {
      const name = node.metadata?.name;
      // karpenter copies the NodeClaim's labels onto the Node: the owner is known without a
      // lookup, even before the NodeClaim's status names the node.
      const labels = node.metadata?.labels ?? {};
      if (labels[LABEL_WORKSPACE] && labels[LABEL_WORKSPACE_NAMESPACE])
        return `${labels[LABEL_WORKSPACE_NAMESPACE]}/${labels[LABEL_WORKSPACE]}`;
      const claim = nodeClaims.list().find((c) => c.status?.nodeName === name);
      if (claim) return claimOwner(claim);
      // A node no NodeClaim of ours made may be one a Workspace can reuse (preferredNodes, BYO).
      return workspaces
        .list()
        .filter(
          (ws) => !ws.status?.conditions?.some((c) => c.type === ConditionType.ResourceReady && c.status === "True"),
        )
        .map(workspaceKey);
    },
    { transform: trimNode, relevant: nodeChanged },
  );
  const observing = config.CONTROLLER_MODE === "observe";
  // Upstream Kaito puts no kaito.sh/workspace label on its StatefulSets (its pods and Jobs have
  // it): an observer watches them all and maps each to the Workspace that controls it.
  const statefulSets = informer<V1StatefulSet>(
    scoped("/apis/apps/v1", "statefulsets"),
    observing ? undefined : WORKSPACE_SELECTOR,
    observing ? byController : byLabel,
    { transform: trimStatefulSet },
  );
  const jobs = informer<V1Job>(scoped("/apis/batch/v1", "jobs"), WORKSPACE_SELECTOR, byLabel, { transform: trimJob });
  const pods = informer<V1Pod>(scoped("/api/v1", "pods"), WORKSPACE_SELECTOR, byLabel, {
    transform: trimPod,
    indexByKey: true,
  });
  const services = informer<V1Service>(scoped("/api/v1", "services"), WORKSPACE_SELECTOR, byLabel, {
    transform: trimService,
  });
  const caches: ControllerCaches = { workspaces, nodeClaims, nodes, statefulSets, jobs, pods, services };
  const all = Object.values(caches) as Informer<KubeObject>[];

  const ctx: ControllerContext = {
    client,
    caches,
    mode: config.NODE_PROVISIONER_MODE,
    render: {
      imageRegistry: config.CONTROLLER_IMAGE_REGISTRY,
      imageTag: config.CONTROLLER_IMAGE_TAG,
      podAnnotationPassthroughPrefix: config.CONTROLLER_TEST_POD_ANNOTATION_PREFIX,
    },
    nodeClaimDeleteTimeoutMs: config.CONTROLLER_NODECLAIM_DELETE_TIMEOUT_SECONDS * 1000,
    resyncMs: config.CONTROLLER_RESYNC_SECONDS * 1000,
    timeline: createTimeline(config, client),
    timelineSlots: createSemaphore(TIMELINE_CONCURRENCY),
    log,
    emitEvents: config.CONTROLLER_PHASE_EVENTS && !observing,
    written: new Map(),
  };

  // Workspaces another controller writes the status of (its own, upstream Kaito's): never
  // reconciled here, in either mode; their timeline is recorded as an observer would.
  const lastSeen = new Map<string, Workspace>();
  const leftAlone = new Set<string>();
  const leaveAlone = (key: string, wlog: Logger) => {
    const ws = workspaces.get(key);
    if (!ws) return lastSeen.has(key);
    const manager = foreignStatusManager(ws.metadata);
    if (!manager) {
      leftAlone.delete(key);
      lastSeen.delete(key);
      return false;
    }
    if (!leftAlone.has(key))
      wlog.info("left alone: another controller writes its status; recording its timeline only", { manager });
    leftAlone.add(key);
    return true;
  };
  queue = createWorkQueue(
    async (key) => {
      const reconcileId = randomUUID().slice(0, 8);
      const wlog = log.child({ workspace: key, reconcileId });
      const end = metrics?.reconcileDuration.startTimer();
      try {
        const result =
          observing || leaveAlone(key, wlog)
            ? await observeWorkspace(ctx, key, wlog, lastSeen)
            : await reconcileWorkspace(ctx, key, wlog);
        end?.({ outcome: "success" });
        return result;
      } catch (error) {
        const reason =
          error instanceof KubeApiError
            ? error.reason || String(error.statusCode)
            : error instanceof Error
              ? error.name
              : "Unknown";
        metrics?.reconcileErrors.inc({ reason });
        end?.({ outcome: "error" });
        // Conflicts are routine under concurrent writers: the next attempt reads the fresh object.
        (reason === "Conflict" ? wlog.debug : wlog.warn)("reconcile failed; retrying with backoff", { reason, error });
        throw error;
      }
    },
    { concurrency: config.WORKER_CONCURRENCY, onDepthChange: (d) => metrics?.queueDepth.set(d) },
  );

  // Informers fill before any reconcile so that the first pass sees what already exists.
  const pending = queue;
  queue = undefined;
  await Promise.all(all.map((i) => i.start()));
  await Promise.all(all.map((i) => i.synced()));
  queue = pending;
  for (const ws of workspaces.list()) queue.add(workspaceKey(ws), "low");
  log.info(
    observing ? "observer started: recording the timeline, writing nothing to Kubernetes" : "controller started",
    {
      mode: config.CONTROLLER_MODE,
      workspaces: workspaces.list().length,
      concurrency: config.WORKER_CONCURRENCY,
    },
  );
  // Upstream Kaito's controller reconciles InferenceSets too: an observer leaves them to it.
  const inferenceSets = observing ? null : await startInferenceSetController({ client, config, log, metrics });

  return {
    caches,
    queue,
    ready: () => all.every((i) => i.health().synced) && (inferenceSets?.ready() ?? true),
    informerHealth: () => [...all.map((i) => i.health()), ...(inferenceSets?.informerHealth() ?? [])],
    async stop() {
      for (const i of all) i.stop();
      await Promise.all([pending.shutDown(), inferenceSets?.stop()]);
    },
  };
}
