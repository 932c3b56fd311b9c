/**
 * The InferenceSet vocabulary (Kaito v0.12, docs/kaito-api.md §7): a scalable set of identical
 * Workspaces. Names, labels, finalizer, condition types, reasons and messages are spelled as
 * upstream's controller writes them; the ones marked "ours" are extra information upstream has
 * no word for. Isomorphic, like the rest of lib/kaito.
 */
import { KAITO_GROUP } from "./api";

export const INFERENCESET_KIND = "InferenceSet";
export const INFERENCESET_PLURAL = "inferencesets";
export const INFERENCESET_VERSION = "v1beta1";
export const INFERENCESET_VERSIONS = ["v1alpha1", "v1beta1"] as const;
export const INFERENCESET_API_VERSION = `${KAITO_GROUP}/${INFERENCESET_VERSION}`;
export const INFERENCESET_SHORT_NAMES = ["is", "isets"] as const;
export const INFERENCESET_FINALIZER = "inferenceset.finalizer.kaito.sh";

/** On every child Workspace and its pods; `status.selector` is `<this>=<set name>`. */
export const LABEL_CREATED_BY_INFERENCESET = "inferenceset.kaito.sh/created-by";
/**
 * Ours: the child's slot in the set. The child's name is derived from the set's uid and this
 * number, so a worker killed between "create" and "see it in the cache" re-creates the same name
 * (AlreadyExists) instead of a second child; upstream names children with a random suffix.
 */
export const ANNOTATION_REPLICA_INDEX = "kaito-dashboard.dev/replica-index";

/**
 * Ours: a hash of the set's template and selector on each child, so a template change can roll
 * the children that were made from an older one (`spec.updateStrategy`).
 */
export const ANNOTATION_TEMPLATE_HASH = "kaito-dashboard.dev/template-hash";

/** Upstream default when `spec.replicas` is absent (the CRD also defaults it). */
export const DEFAULT_REPLICAS = 1;

export const InferenceSetConditionType = {
  Ready: "InferenceSetReady",
  Deleting: "InferenceSetDeleting",
  /** Ours: `spec.nodeCountLimit` keeps the set below `spec.replicas`. */
  NodeCountLimitReached: "NodeCountLimitReached",
  /** Ours: the `scaledobject.kaito.sh/*` annotations and what became of them. */
  AutoscalingReady: "AutoscalingReady",
} as const;
export type InferenceSetConditionType = (typeof InferenceSetConditionType)[keyof typeof InferenceSetConditionType];

export const InferenceSetReason = {
  Ready: "inferencesetReady",
  NotReady: "inferencesetNotReady",
  Deleted: "inferencesetDeleted",
  /** Ours. */
  NodeCountLimitExceeded: "NodeCountLimitExceeded",
  WithinNodeCountLimit: "WithinNodeCountLimit",
  ScaledObjectReady: "ScaledObjectReady",
  KedaNotInstalled: "KedaNotInstalled",
  InvalidAutoscalingConfig: "InvalidAutoscalingConfig",
  ScaledObjectRejected: "ScaledObjectRejected",
} as const;

export const InferenceSetMessage = {
  Ready: "inferenceset is ready",
  notReady: (ready: number, desired: number) => `inferenceset is not ready, ${ready}/${desired} replicas are ready`,
  Deleting: "inferenceset is being deleted",
} as const;

/** The label selector string of `status.selector` (the scale subresource's selectorpath). */
export function inferenceSetSelector(setName: string): string {
  return `${LABEL_CREATED_BY_INFERENCESET}=${setName}`;
}

/**
 * keda-kaito-scaler's annotations on an InferenceSet (upstream's autoscaling docs): with
 * `auto-provision: "true"` a KEDA ScaledObject scales the set through its scale subresource.
 */
export const SCALEDOBJECT_ANNOTATION_PREFIX = "scaledobject.kaito.sh/";
export const ScaledObjectAnnotation = {
  AutoProvision: `${SCALEDOBJECT_ANNOTATION_PREFIX}auto-provision`,
  MinReplicas: `${SCALEDOBJECT_ANNOTATION_PREFIX}min-replicas`,
  MaxReplicas: `${SCALEDOBJECT_ANNOTATION_PREFIX}max-replicas`,
  MetricName: `${SCALEDOBJECT_ANNOTATION_PREFIX}metricName`,
  Threshold: `${SCALEDOBJECT_ANNOTATION_PREFIX}threshold`,
} as const;
/** keda-kaito-scaler's default metric: vLLM's waiting-queue length per replica. */
export const DEFAULT_SCALING_METRIC = "vllm:num_requests_waiting";
