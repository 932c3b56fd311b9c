import "server-only";

/**
 * Every name Kaito users and tools already know (kaito-reference.md §1–§3). Nothing else in the
 * tree spells these as string literals: a typo here would silently break `kubectl get wk`
 * columns or label selectors that upstream tooling relies on.
 */

export const KAITO_GROUP = "kaito.sh";
export const WORKSPACE_VERSION = "v1beta1";
export const WORKSPACE_VERSIONS = ["v1alpha1", "v1beta1"] as const;
export const WORKSPACE_KIND = "Workspace";
export const WORKSPACE_PLURAL = "workspaces";
export const WORKSPACE_API_VERSION = `${KAITO_GROUP}/${WORKSPACE_VERSION}`;

export const KARPENTER_GROUP = "karpenter.sh";
export const NODECLAIM_VERSION = "v1";
export const NODECLAIM_KIND = "NodeClaim";
export const NODECLAIM_PLURAL = "nodeclaims";
export const NODECLAIM_API_VERSION = `${KARPENTER_GROUP}/${NODECLAIM_VERSION}`;
export const KAITO_NODECLASS_KIND = "KaitoNodeClass";
export const KAITO_NODECLASS_NAME = "default";
export const KAITO_NODEPOOL = "kaito";

export const WORKSPACE_FINALIZER = "workspace.finalizer.kaito.sh";

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
/** Keys a user may not use as their only matchLabels: the controller sets them itself. */
export const RESERVED_SELECTOR_LABELS = [LABEL_WORKSPACE, LABEL_WORKSPACE_NAMESPACE] as const;

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

export const RUNTIME_VLLM = "vllm";
export const RUNTIME_TRANSFORMERS = "transformers";
export const DEFAULT_IMAGE_REGISTRY = "mcr.microsoft.com/aks/kaito";
export const INFERENCE_PORT = 5000;
export const SERVICE_PORT = 80;
export const DEFAULT_INFERENCE_CONFIGMAP = "inference-params-template";
export const INFERENCE_CONFIG_KEY = "inference_config.yaml";
export const TUNING_CONFIG_KEY = "training_config.yaml";
export const DEFAULT_TUNING_CONFIGMAPS = { lora: "lora-params-template", qlora: "qlora-params-template" } as const;
export const HF_TOKEN_KEY = "HF_TOKEN";
/** karpenter's message for a terminal launch failure (quota, no capacity). */
export const KARPENTER_UNAVAILABLE_MESSAGE = "all requested instance types were unavailable during launch";

export const FIELD_MANAGER = "kaito-dashboard";

export const ConditionType = {
  NodeClaimReady: "NodeClaimReady",
  NodesReady: "NodesReady",
  ResourceReady: "ResourceReady",
  InferenceReady: "InferenceReady",
  JobStarted: "JobStarted",
  WorkspaceSucceeded: "WorkspaceSucceeded",
  /** Releases ≤0.2 and the seed's `kubectl get` output read this one; it mirrors WorkspaceSucceeded. */
  WorkspaceReady: "WorkspaceReady",
  WorkspaceDeleting: "WorkspaceDeleting",
  /** Ours: catalog validation failed, so nothing was created. */
  WorkspaceValid: "WorkspaceValid",
} as const;
export type ConditionType = (typeof ConditionType)[keyof typeof ConditionType];

export const Reason = {
  NodeClaimsReady: "NodeClaimsReady",
  NodeClaimNotReady: "NodeClaimNotReady",
  NodesReady: "NodesReady",
  NodeNotReady: "NodeNotReady",
  NodePluginsNotReady: "NodePluginsNotReady",
  ResourceReady: "workspaceResourceStatusSuccess",
  InferenceReady: "WorkspaceInferenceStatusSuccess",
  InferencePending: "WorkspaceInferenceStatusPending",
  ContainerOOMKilled: "ContainerOOMKilled",
  ImagePullError: "ImagePullError",
  ContainerCrashLoopBackOff: "ContainerCrashLoopBackOff",
  ContainerStartError: "ContainerStartError",
  PodEvicted: "PodEvicted",
  Unschedulable: "Unschedulable",
  JobStarted: "WorkspaceTuningJobStatusStarted",
  JobPending: "WorkspaceTuningJobStatusPending",
  WorkspaceSucceeded: "workspaceSucceeded",
  WorkspacePending: "workspacePending",
  WorkspaceFailed: "workspaceFailed",
  WorkspaceDeleted: "workspaceDeleted",
  /** Ours: the finalizer gave up waiting for NodeClaims and says why. */
  NodeClaimDeletionStuck: "NodeClaimDeletionStuck",
  /** Ours: catalog validation outcomes. */
  ValidationFailed: "ValidationFailed",
  Valid: "Valid",
} as const;
export type Reason = (typeof Reason)[keyof typeof Reason];

export const Message = {
  NodeClaimsReady: "Enough NodeClaims are ready",
  NodeClaimNotReady: "Ready NodeClaims are not enough",
  NodesReady: "Enough Nodes are ready",
  NodesNotReady: "Ready Nodes are not enough",
  NodePluginsNotReady: "waiting all node plugins to be ready",
  ResourceReady: "workspace resource is ready",
  InferenceReady: "Inference has been deployed successfully",
  InferencePending: "Inference is not ready yet",
  JobStarted: "Tuning job has started",
  JobPending: "Tuning job has not started yet",
  WorkspaceSucceeded: "workspace succeeds",
  WorkspacePending: "workspace is pending",
  WorkspaceFailed: "tuning job failed",
  WorkspaceDeleting: "workspace is being deleted",
} as const;

export const WorkspaceState = {
  Pending: "Pending",
  Ready: "Ready",
  NotReady: "NotReady",
  Running: "Running",
  Succeeded: "Succeeded",
  Failed: "Failed",
} as const;
export type WorkspaceState = (typeof WorkspaceState)[keyof typeof WorkspaceState];

/** Kubernetes Event reasons on the Workspace; the first two are upstream's. */
export const EventReason = {
  NodeClaimCreated: "NodeClaimCreated",
  NodeClaimCreationFailed: "NodeClaimCreationFailed",
  ValidationFailed: "ValidationFailed",
} as const;

/** Condition messages stay short enough for `kubectl describe`; karpenter's are cut to this. */
export const MAX_CONDITION_MESSAGE = 256;
