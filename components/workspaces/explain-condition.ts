/** Kaito's condition reasons in plain words, for people who do not read controller source. */
const REASONS: Record<string, string> = {
  NodeClaimsReady: "All requested GPU machines exist and are ready.",
  NodeClaimNotReady: "Still waiting for the GPU machines (NodeClaims) to become ready.",
  NodesReady: "The GPU nodes have joined the cluster and are ready.",
  NodeNotReady: "A GPU node exists but is not ready yet.",
  NodePluginsNotReady: "The node is up, but the NVIDIA device plugin has not reported its GPUs yet.",
  workspaceResourceStatusSuccess: "Compute is in place: nodes with GPUs are ready.",
  WorkspaceInferenceStatusSuccess: "The model server is running and answering its health check.",
  WorkspaceInferenceStatusPending: "The model server is being deployed or is still loading the model.",
  ContainerOOMKilled: "The model server ran out of memory and was killed.",
  ImagePullError: "The container image could not be downloaded.",
  ContainerCrashLoopBackOff: "The model server keeps crashing and Kubernetes is backing off restarts.",
  ContainerStartError: "The container could not start.",
  PodEvicted: "The pod was evicted from its node.",
  Unschedulable: "No node can take the pod (GPU, taint or affinity mismatch).",
  WorkspaceTuningJobStatusStarted: "The tuning job has started.",
  workspaceSucceeded: "Everything is ready.",
  workspacePending: "Not ready yet: an earlier step is still in progress.",
  workspaceFailed: "The tuning job failed.",
  workspaceDeleted: "The workspace is being deleted.",
  NodeClaimDeletionStuck: "Deletion is waiting on NodeClaims that do not go away.",
  ValidationFailed: "The workspace was rejected by validation; nothing was created.",
  Valid: "The workspace passed validation.",
};

export function explainCondition(reason: string | undefined, status: string): string {
  if (reason && REASONS[reason]) return REASONS[reason];
  if (status === "True") return "Satisfied.";
  return reason ? `Reported by the controller as ${reason}.` : "Not reported yet.";
}
