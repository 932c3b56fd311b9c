import "server-only";

import type { V1Job, V1Node, V1Pod, V1Service, V1StatefulSet } from "@kubernetes/client-node";

import type { Informer } from "@/server/kube/create-informer";
import type { KubeClient } from "@/server/kube/kube-client";
import type { NodeClaim } from "@/server/kube/types/nodeclaim";
import type { Workspace } from "@/server/kube/types/workspace";
import type { TimelineRecorder } from "@/server/timeline/record-timeline";

import type { ProvisionerMode } from "./evaluate-nodes";
import type { Logger } from "./logger";
import type { RenderOptions } from "./render-options";
import type { Semaphore } from "./semaphore";

export type ControllerCaches = {
  workspaces: Informer<Workspace>;
  nodeClaims: Informer<NodeClaim>;
  nodes: Informer<V1Node>;
  statefulSets: Informer<V1StatefulSet>;
  jobs: Informer<V1Job>;
  pods: Informer<V1Pod>;
  services: Informer<V1Service>;
};

/** Everything one reconcile needs; built once by start-controller.ts. */
export type ControllerContext = {
  client: KubeClient;
  caches: ControllerCaches;
  mode: ProvisionerMode;
  render: RenderOptions;
  nodeClaimDeleteTimeoutMs: number;
  resyncMs: number;
  timeline: TimelineRecorder | null;
  /** Timeline recordings in flight, bounded so history never crowds reconciles off the apiserver connection pool. */
  timelineSlots: Semaphore;
  log: Logger;
  emitEvents: boolean;
  /** By workspace key: resourceVersions older than our own last write, until the cache catches up. */
  written: Map<string, Set<string>>;
};
