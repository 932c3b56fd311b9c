import "server-only";

import {
  DEFAULT_SCALING_METRIC,
  INFERENCESET_API_VERSION,
  INFERENCESET_KIND,
  LABEL_CREATED_BY_INFERENCESET,
  ScaledObjectAnnotation,
} from "@/lib/kaito/inferenceset";
import type { InferenceSet } from "@/server/kube/types/inferenceset";

export const KEDA_GROUP_VERSION = "keda.sh/v1alpha1";
export const SCALEDOBJECT_PLURAL = "scaledobjects";

export type ScaledObject = {
  apiVersion: typeof KEDA_GROUP_VERSION;
  kind: "ScaledObject";
  metadata: {
    name: string;
    namespace: string;
    labels?: Record<string, string>;
    ownerReferences?: { apiVersion: string; kind: string; name: string; uid: string; controller?: boolean }[];
  };
  spec: Record<string, unknown>;
};

export type AutoscalingRequest =
  | { requested: false }
  /** `annotation`: the one at fault, so a form can place the message there. */
  | { requested: true; error: string; annotation: string }
  | { requested: true; minReplicas: number; maxReplicas: number; threshold: string; metricName: string };

const intOf = (value: string | undefined) => (value !== undefined && /^\d+$/.test(value.trim()) ? Number(value) : NaN);

/**
 * Reads the `scaledobject.kaito.sh/*` annotations as keda-kaito-scaler does: `auto-provision: "true"`
 * turns autoscaling on; `threshold` is required (a non-negative integer); `max-replicas` must be
 * above 1 and at least `min-replicas`, and without it the maximum is what `spec.nodeCountLimit`
 * allows; `min-replicas` below 2 means 1.
 */
export function readAutoscalingRequest(set: InferenceSet, nodesPerReplica: number): AutoscalingRequest {
  const a = set.metadata.annotations ?? {};
  if (a[ScaledObjectAnnotation.AutoProvision] !== "true") return { requested: false };
  const threshold = a[ScaledObjectAnnotation.Threshold];
  if (Number.isNaN(intOf(threshold)))
    return {
      requested: true,
      annotation: ScaledObjectAnnotation.Threshold,
      error: `${ScaledObjectAnnotation.Threshold} must be a non-negative integer, got ${JSON.stringify(threshold ?? "")}`,
    };
  const min = Math.max(1, intOf(a[ScaledObjectAnnotation.MinReplicas]) || 1);
  let max: number;
  if (a[ScaledObjectAnnotation.MaxReplicas] !== undefined) {
    max = intOf(a[ScaledObjectAnnotation.MaxReplicas]);
    if (Number.isNaN(max) || max <= 1)
      return {
        requested: true,
        annotation: ScaledObjectAnnotation.MaxReplicas,
        error: `${ScaledObjectAnnotation.MaxReplicas} must be an integer above 1`,
      };
  } else if (set.spec.nodeCountLimit) {
    max = Math.max(1, Math.floor(set.spec.nodeCountLimit / nodesPerReplica));
  } else {
    return {
      requested: true,
      annotation: ScaledObjectAnnotation.MaxReplicas,
      error: `set ${ScaledObjectAnnotation.MaxReplicas} or spec.nodeCountLimit: autoscaling needs an upper bound`,
    };
  }
  if (max < min)
    return {
      requested: true,
      annotation: ScaledObjectAnnotation.MaxReplicas,
      error: `max-replicas (${max}) is less than min-replicas (${min})`,
    };
  return {
    requested: true,
    minReplicas: min,
    maxReplicas: max,
    threshold: String(intOf(threshold)),
    metricName: a[ScaledObjectAnnotation.MetricName] || DEFAULT_SCALING_METRIC,
  };
}

/**
 * The KEDA ScaledObject for a set (pure). It targets the set's scale subresource, so KEDA's HPA
 * changes `spec.replicas` and this controller does the rest. Upstream's keda-kaito-scaler asks
 * its own external scaler for the metric; we have none, so the trigger is KEDA's built-in
 * Prometheus scaler summing the metric over the set's model pods (average per replica against
 * the threshold). The scaling behaviour is keda-kaito-scaler's: up by one replica per 5 minutes
 * after a 60 s window, down by one per 10 minutes after 300 s, because a replica costs a GPU
 * node that takes minutes to arrive.
 */
export function renderScaledObject(
  set: InferenceSet,
  request: Extract<AutoscalingRequest, { minReplicas: number }>,
  prometheusUrl: string,
): ScaledObject {
  const ns = set.metadata.namespace;
  return {
    apiVersion: KEDA_GROUP_VERSION,
    kind: "ScaledObject",
    metadata: {
      name: set.metadata.name,
      namespace: ns,
      labels: { [LABEL_CREATED_BY_INFERENCESET]: set.metadata.name },
      ownerReferences: [
        {
          apiVersion: INFERENCESET_API_VERSION,
          kind: INFERENCESET_KIND,
          name: set.metadata.name,
          uid: set.metadata.uid!,
          controller: true,
        },
      ],
    },
    spec: {
      scaleTargetRef: { apiVersion: INFERENCESET_API_VERSION, kind: INFERENCESET_KIND, name: set.metadata.name },
      minReplicaCount: request.minReplicas,
      maxReplicaCount: request.maxReplicas,
      advanced: {
        horizontalPodAutoscalerConfig: {
          behavior: {
            scaleUp: {
              stabilizationWindowSeconds: 60,
              selectPolicy: "Max",
              policies: [{ type: "Pods", value: 1, periodSeconds: 300 }],
            },
            scaleDown: {
              stabilizationWindowSeconds: 300,
              selectPolicy: "Max",
              policies: [{ type: "Pods", value: 1, periodSeconds: 600 }],
            },
          },
        },
      },
      triggers: [
        {
          type: "prometheus",
          name: "kaito-inferenceset",
          metricType: "AverageValue",
          metadata: {
            serverAddress: prometheusUrl,
            query: `sum(${request.metricName}{namespace="${ns}",pod=~"${set.metadata.name}-[a-z0-9]{5}-[0-9]+"})`,
            threshold: request.threshold,
          },
        },
      ],
    },
  };
}
