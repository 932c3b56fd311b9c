import "server-only";

import { DEFAULT_REPLICAS, InferenceSetConditionType, ScaledObjectAnnotation } from "@/lib/kaito/inferenceset";
import type { InferenceSet } from "@/server/kube/types/inferenceset";

import { isoTime } from "../workspaces/iso-time";

/** One line of the InferenceSet list: `kubectl get is` columns plus what a user scans for. */
export type InferenceSetRow = {
  key: string;
  namespace: string;
  name: string;
  /** spec.replicas: what was asked for. */
  replicas: number;
  /** status.replicas: children that exist. */
  currentReplicas: number;
  readyReplicas: number;
  model: string;
  instanceType: string;
  /** InferenceSetReady: True, False or "" before the controller wrote it. */
  ready: string;
  /** Why it is not ready (the condition's message), or why it stopped growing. */
  message: string;
  nodeCountLimit: number | null;
  autoscaling: boolean;
  createdAt: string | null;
  deleting: boolean;
};

const conditionOf = (set: InferenceSet, type: string) => set.status?.conditions?.find((c) => c.type === type);

export function summarizeInferenceSet(set: InferenceSet): InferenceSetRow {
  const ready = conditionOf(set, InferenceSetConditionType.Ready);
  const limited = conditionOf(set, InferenceSetConditionType.NodeCountLimitReached);
  return {
    key: `${set.metadata.namespace}/${set.metadata.name}`,
    namespace: set.metadata.namespace,
    name: set.metadata.name,
    replicas: set.spec.replicas ?? DEFAULT_REPLICAS,
    currentReplicas: set.status?.replicas ?? 0,
    readyReplicas: set.status?.readyReplicas ?? 0,
    model: set.spec.template.inference?.preset?.name ?? "custom template",
    instanceType: set.spec.template.resource?.instanceType ?? "",
    ready: ready?.status ?? "",
    message: limited?.status === "True" ? limited.message : ready?.status === "False" ? ready.message : "",
    nodeCountLimit: set.spec.nodeCountLimit ?? null,
    autoscaling: set.metadata.annotations?.[ScaledObjectAnnotation.AutoProvision] === "true",
    createdAt: isoTime(set.metadata.creationTimestamp),
    deleting: !!set.metadata.deletionTimestamp,
  };
}
