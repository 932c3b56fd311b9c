import { Reason } from "@/lib/kaito/conditions";

/** Kaito's condition reasons in plain words, for people who do not read controller source. */
const REASONS: Partial<Record<string, string>> = {
  [Reason.NodeClaimsReady]: "All requested GPU machines exist and are ready.",
  [Reason.NodeClaimNotReady]: "Still waiting for the GPU machines (NodeClaims) to become ready.",
  [Reason.NodesReady]: "The GPU nodes have joined the cluster and are ready.",
  [Reason.NodeNotReady]: "A GPU node exists but is not ready yet.",
  [Reason.NodePluginsNotReady]: "The node is up, but the NVIDIA device plugin has not reported its GPUs yet.",
  [Reason.ResourceReady]: "Compute is in place: nodes with GPUs are ready.",
  [Reason.ResourceConflict]:
    "An object this workspace needs already exists and belongs to someone else; it was left untouched.",
  [Reason.InferenceReady]: "The model server is running and answering its health check.",
  [Reason.InferencePending]: "The model server is being deployed or is still loading the model.",
  [Reason.FailedCreate]:
    "Kubernetes refused to create the pod, most often at admission (Pod Security, a webhook or a quota).",
  [Reason.ContainerOOMKilled]: "The model server ran out of memory and was killed.",
  [Reason.ImagePullError]: "The container image could not be downloaded.",
  [Reason.ContainerCrashLoopBackOff]: "The model server keeps crashing and Kubernetes is backing off restarts.",
  [Reason.ContainerStartError]: "The container could not start.",
  [Reason.PodEvicted]: "The pod was evicted from its node.",
  [Reason.Unschedulable]: "No node can take the pod: too few free GPUs, or a taint, selector or affinity rules it out.",
  [Reason.JobStarted]: "The tuning job has started.",
  [Reason.WorkspaceSucceeded]: "Everything is ready.",
  [Reason.WorkspacePending]: "Not ready yet: an earlier step is still in progress.",
  [Reason.WorkspaceFailed]: "The tuning job failed.",
  [Reason.WorkspaceDeleted]: "The workspace is being deleted.",
  [Reason.NodeClaimDeletionStuck]: "Deletion is waiting on NodeClaims that do not go away.",
  [Reason.ValidationFailed]: "The workspace was rejected by validation; nothing was created.",
  [Reason.Valid]: "The workspace passed validation.",
};

/** A pod waiting for its storage is reported Unschedulable too; GPUs are not the problem then. */
const STORAGE_MESSAGE = /persistentvolumeclaim|volume node affinity/i;

export function explainCondition(reason: string | undefined, status: string, message?: string): string {
  if (reason === Reason.Unschedulable && message && STORAGE_MESSAGE.test(message))
    return "The pod waits for its storage: a PersistentVolumeClaim is missing or not bound to a volume.";
  if (reason && REASONS[reason]) return REASONS[reason];
  if (status === "True") return "Satisfied.";
  return reason ? `Reported by the controller as ${reason}.` : "Not reported yet.";
}
