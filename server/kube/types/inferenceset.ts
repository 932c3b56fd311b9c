import "server-only";

import type { V1LabelSelector, V1ObjectMeta } from "@kubernetes/client-node";

import type { InferenceSpec, WorkspaceCondition } from "./workspace";

/**
 * A Kaito InferenceSet (kaito.sh/v1beta1; v1alpha1 has the same shape without `partition`):
 * `spec.replicas` identical Workspaces made from `spec.template` (charts/kaito-dashboard/files/crds/
 * inferencesets.kaito.sh.yaml).
 */
export type PartitionSpec = { mode: "mig" | "accelerator"; profile?: string; count?: number };

export type InferenceSetTemplate = {
  metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
  resource?: { instanceType?: string; partition?: PartitionSpec };
  inference: InferenceSpec;
};

/** A StatefulSetUpdateStrategy; `maxUnavailable` is a count or a percentage. */
export type InferenceSetUpdateStrategy = {
  type?: "RollingUpdate" | "OnDelete";
  rollingUpdate?: { maxUnavailable?: number | string; partition?: number };
};

export type InferenceSetSpec = {
  template: InferenceSetTemplate;
  replicas?: number;
  nodeCountLimit?: number;
  labelSelector: V1LabelSelector;
  updateStrategy?: InferenceSetUpdateStrategy;
  autoUpgrade?: { enabled?: boolean; strategy?: "InPlace" | "Surge"; maintenanceWindow?: unknown };
};

export type InferenceSetStatus = {
  replicas?: number;
  readyReplicas?: number;
  selector?: string;
  conditions?: WorkspaceCondition[];
  performance?: { metrics?: Record<string, { description: string; value: string; unit?: string }> };
};

export type InferenceSet = {
  apiVersion: string;
  kind: "InferenceSet";
  metadata: V1ObjectMeta & { name: string; namespace: string };
  spec: InferenceSetSpec;
  status?: InferenceSetStatus;
};
