import "server-only";

import type { Workspace } from "@/server/kube/types/workspace";

import type { WorkspaceProblem } from "./summarize-workspace";

/** A condition of any object (Workspace, NodeClaim, Pod), with Kubernetes' optional fields optional. */
export type ConditionView = {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
};
type Condition = ConditionView;

/** A karpenter NodeClaim, reduced to what the detail page shows. */
export type NodeClaimView = {
  name: string;
  instanceType: string;
  nodeName: string | null;
  createdAt: string | null;
  conditions: Condition[];
};

export type NodeView = {
  name: string;
  instanceType: string;
  ready: string;
  gpuCapacity: number;
  gpuProduct: string | null;
  createdAt: string | null;
  readyAt: string | null;
};

export type ContainerView = {
  name: string;
  ready: boolean;
  restarts: number;
  state: string;
  stateReason: string | null;
  stateMessage: string | null;
  startedAt: string | null;
  lastTerminationReason: string | null;
  lastTerminationExitCode: number | null;
};

export type PodView = {
  name: string;
  phase: string;
  nodeName: string | null;
  createdAt: string | null;
  conditions: Condition[];
  containers: ContainerView[];
};

export type EventView = {
  type: string;
  reason: string;
  message: string;
  object: string;
  count: number;
  lastSeen: string | null;
};

export type ServiceView = {
  name: string;
  type: string;
  clusterIP: string | null;
  ports: string[];
  inClusterUrl: string;
};

export type TimelinePhase = {
  id: string;
  label: string;
  start: string;
  end: string | null;
  status: "done" | "running" | "failed";
  detail?: string;
};

/** One rollout of the Workspace: its creation, or a later re-creation of its pods (an adapter attached, an edit). */
export type TimelineRun = {
  /** 1 for the Workspace's creation, counting up. */
  number: number;
  start: string;
  phases: TimelinePhase[];
};

export type Diagnosis = {
  step: string;
  cause:
    | "quota"
    | "no-capacity"
    | "oom"
    | "crash-loop"
    | "image-pull"
    | "gpu-memory"
    | "unschedulable"
    | "storage"
    | "admission"
    | "validation"
    | "controller-error"
    | "failed"
    | "waiting"
    | "deleting";
  title: string;
  detail: string;
  /**
   * Nothing will change without a change to the Workspace (or the cluster): the timeline stops
   * and the page stops offering the playground.
   */
  terminal: boolean;
  /** When the blocking failure was reported, if known: where a terminal timeline ends. */
  since: string | null;
};

export type WorkspaceDetail = {
  workspace: Workspace;
  nodeClaims: NodeClaimView[];
  nodes: NodeView[];
  pods: PodView[];
  events: EventView[];
  services: ServiceView[];
  /** The latest run's phases. */
  timeline: TimelinePhase[];
  /** Which run `timeline` is (1 until the first re-rollout). */
  run: number;
  /** The runs before it, latest first. */
  earlierRuns: TimelineRun[];
  diagnosis: Diagnosis | null;
  /** The same honest state as the list's badge. */
  problem: WorkspaceProblem | null;
  warnings: string[];
};
