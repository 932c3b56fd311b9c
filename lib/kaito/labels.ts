/** Label, annotation, resource and taint keys, spelled as upstream Kaito and karpenter spell them. */

export const LABEL_WORKSPACE = "kaito.sh/workspace";
export const LABEL_WORKSPACE_NAMESPACE = "kaito.sh/workspacenamespace";
export const LABEL_NODEPOOL = "karpenter.sh/nodepool";
export const LABEL_INSTANCE_TYPE = "node.kubernetes.io/instance-type";
export const LABEL_OS = "kubernetes.io/os";
export const LABEL_ACCELERATOR = "accelerator";
export const LABEL_GPU_PRODUCT = "nvidia.com/gpu.product";
export const LABEL_GPU_COUNT = "nvidia.com/gpu.count";
export const LABEL_GPU_MEMORY = "nvidia.com/gpu.memory";
export const LABEL_STATEFULSET_POD_NAME = "statefulset.kubernetes.io/pod-name";
/**
 * Ours, not upstream's: the uid of the Workspace a NodeClaim was made for. NodeClaims are
 * cluster-scoped and carry no ownerReference, and a Workspace recreated under the same name must
 * not take over its predecessor's claims, so name and namespace labels alone cannot say whose a
 * claim is.
 */
export const LABEL_WORKSPACE_UID = "kaito-dashboard.dev/workspace-uid";
/**
 * Kaito's reserved selector keys (upstream api/v1beta1/labels.go): its controllers put them on the
 * NodeClaims and nodes they make. In a user's `labelSelector.matchLabels` they are ignored, so that
 * a Workspace cannot reach another Workspace's nodes; a matchLabels made only of them is refused.
 */
export const RESERVED_SELECTOR_LABELS = [
  LABEL_WORKSPACE,
  "kaito.sh/ragengine",
  LABEL_WORKSPACE_NAMESPACE,
  "kaito.sh/ragenginenamespace",
  "karpenter.kaito.sh/workspace-name",
  "karpenter.kaito.sh/workspace-namespace",
  "karpenter.kaito.sh/inferenceset",
  "karpenter.kaito.sh/inferenceset-namespace",
] as const;
/** Upstream's refusal, word for word (docs/kaito-api.md §2). */
export const RESERVED_ONLY_SELECTOR_MESSAGE = "matchLabels must contain at least one non-reserved label";

const reservedSelectorKeys = new Set<string>(RESERVED_SELECTOR_LABELS);

/** A selector's matchLabels without the reserved keys: what node matching and new nodes use. */
export function userMatchLabels(
  selector: { matchLabels?: Record<string, string> } | undefined,
): Record<string, string> {
  return Object.fromEntries(
    Object.entries(selector?.matchLabels ?? {}).filter(([key]) => !reservedSelectorKeys.has(key)),
  );
}

export const ANNOTATION_BYPASS_RESOURCE_CHECKS = "kaito.sh/bypass-resource-checks";
export const ANNOTATION_ENABLE_LB = "kaito.sh/enablelb";
export const ANNOTATION_RUNTIME = "kaito.sh/runtime";
export const ANNOTATION_DO_NOT_DISRUPT = "karpenter.sh/do-not-disrupt";
/**
 * Ours, not upstream's: set it on a Workspace stuck in deletion to let the finalizer go without
 * waiting for its NodeClaims (docs/controller.md, "Stuck in Terminating").
 */
export const ANNOTATION_FORCE_DELETE = "kaito-dashboard.dev/force-delete";

export const RESOURCE_GPU = "nvidia.com/gpu";
export const TAINT_SKU_KEY = "sku";
export const TAINT_SKU_VALUE = "gpu";
