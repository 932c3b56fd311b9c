/**
 * Workspace condition types, reasons and messages, word for word as upstream Kaito writes them:
 * users search for them and `kubectl get wk` columns read them (docs/kaito-api.md §3).
 */

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
  /** v0.12: the post-load benchmark's result was read from the leader pod's log (or could not be). */
  BenchmarkCompleted: "BenchmarkCompleted",
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
  BenchmarkCompleted: "BenchmarkCompleted",
  BenchmarkFailed: "BenchmarkFailed",
  /** Ours: the finalizer gave up waiting for NodeClaims and says why. */
  NodeClaimDeletionStuck: "NodeClaimDeletionStuck",
  /** Ours: an object the Workspace needs exists and belongs to someone else; it is left untouched. */
  ResourceConflict: "ResourceConflict",
  /**
   * Ours, named after the Kubernetes Event its StatefulSet or Job records: the workload's pods
   * cannot be created, most often refused at admission (Pod Security Admission, a webhook, a quota).
   */
  FailedCreate: "FailedCreate",
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
  BenchmarkCompleted: "benchmark result has been recorded",
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

/** karpenter's message for a terminal launch failure (quota, no capacity). */
export const KARPENTER_UNAVAILABLE_MESSAGE = "all requested instance types were unavailable during launch";
