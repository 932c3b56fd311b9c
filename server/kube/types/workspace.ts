import "server-only";

import type { V1LabelSelector, V1ObjectMeta, V1PodTemplateSpec, V1Volume } from "@kubernetes/client-node";

import type { PartitionSpec } from "@/lib/kaito/partition";
import type { WorkspacePerformance } from "@/lib/kaito/performance";

/**
 * A Kaito Workspace (kaito.sh/v1beta1; v1alpha1 has the same shape). There is no `spec`:
 * `resource`, `inference`, `tuning` and `status` sit beside `metadata`, as upstream has it.
 */
export type WorkspaceCondition = {
  type: string;
  status: "True" | "False" | "Unknown";
  reason: string;
  message: string;
  lastTransitionTime: string;
  observedGeneration?: number;
};

export type PresetOptions = {
  image?: string;
  imagePullSecrets?: string[];
  modelAccessSecret?: string;
};

export type PresetSpec = {
  name: string;
  accessMode?: "public" | "private";
  presetOptions?: PresetOptions;
};

export type AdapterSource = {
  name: string;
  image?: string;
  imagePullSecrets?: string[];
  urls?: string[];
  volumeSource?: Omit<V1Volume, "name">;
};

export type AdapterSpec = { source: AdapterSource; strength?: string };

export type WorkspaceResourceSpec = {
  count?: number;
  instanceType?: string;
  labelSelector: V1LabelSelector;
  preferredNodes?: string[];
  /** v1beta1, bring-your-own nodes only (lib/kaito/partition.ts). */
  partition?: PartitionSpec;
};

export type InferenceSpec = {
  preset?: PresetSpec;
  template?: V1PodTemplateSpec;
  config?: string;
  adapters?: AdapterSpec[];
};

export type DataSource = {
  name?: string;
  urls?: string[];
  image?: string;
  imagePullSecrets?: string[];
  volumeSource?: Omit<V1Volume, "name">;
};

export type DataDestination = {
  image?: string;
  imagePushSecret?: string;
  volumeSource?: Omit<V1Volume, "name">;
};

export type TuningSpec = {
  preset?: PresetSpec;
  method?: "lora" | "qlora";
  config?: string;
  input?: DataSource;
  output?: DataDestination;
};

export type WorkspaceStatus = {
  workerNodes?: string[];
  conditions?: WorkspaceCondition[];
  state?: string;
  targetNodeCount?: number;
  observedGeneration?: number;
  /** The post-load benchmark's figures (lib/kaito/performance.ts). */
  performance?: WorkspacePerformance;
};

export type Workspace = {
  apiVersion: string;
  kind: "Workspace";
  metadata: V1ObjectMeta & { name: string; namespace: string };
  resource?: WorkspaceResourceSpec;
  inference?: InferenceSpec;
  tuning?: TuningSpec;
  status?: WorkspaceStatus;
};

/** The model a Workspace serves or tunes; undefined for a free-form inference template. */
export function workspacePresetName(ws: Workspace): string | undefined {
  return ws.inference?.preset?.name ?? ws.tuning?.preset?.name;
}

/** Upstream: `resource.count` (default 1) is the number of nodes, never fewer than one. */
export function targetNodeCount(ws: Workspace): number {
  return Math.max(1, ws.resource?.count ?? 1);
}

export function workspaceKey(ws: { metadata: { namespace?: string; name?: string } }): string {
  return `${ws.metadata.namespace}/${ws.metadata.name}`;
}
