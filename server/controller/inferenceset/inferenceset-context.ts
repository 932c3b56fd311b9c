import "server-only";

import type { Informer } from "@/server/kube/create-informer";
import type { KubeClient } from "@/server/kube/kube-client";
import type { InferenceSet } from "@/server/kube/types/inferenceset";
import type { Workspace } from "@/server/kube/types/workspace";

import type { Logger } from "../logger";
import type { InferenceSetConfig } from "./config";

/** Everything one InferenceSet reconcile needs; built once by start-inferenceset-controller.ts. */
export type InferenceSetContext = {
  client: KubeClient;
  sets: Informer<InferenceSet>;
  /** Workspaces carrying the created-by label, indexed by the set key (namespace/name) they name. */
  children: Informer<Workspace>;
  log: Logger;
  /**
   * By set key: uids of children we asked the apiserver to delete whose deletion the cache does not show
   * yet. Without it, a pass running before the watch event would see them still live and delete
   * more (upstream's controller keeps "expectations" for the same reason).
   */
  deleting: Map<string, Set<string>>;
  /** By set key: child names taken by a Workspace the set does not own; those slots are skipped. */
  blocked: Map<string, Set<string>>;
  /** By set key: the last status we wrote, so a stale cache does not make us write it twice. */
  lastStatus: Map<string, string>;
  config: InferenceSetConfig;
  /** Whether KEDA's ScaledObject CRD is installed (discovery, cached briefly). */
  kedaInstalled: () => Promise<boolean>;
  /** By set key: the ScaledObject we last applied (canonical JSON), "" for none. */
  scaledObjects: Map<string, string>;
  /** Publishes a set's desired, current and ready replicas (the worker's /metrics); undefined = gone. */
  report: (key: string, counts?: { desired: number; current: number; ready: number }) => void;
};
