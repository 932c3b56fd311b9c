import "server-only";

import { KARPENTER_UNAVAILABLE_MESSAGE } from "@/lib/kaito/conditions";
import { isNotFound, type KubeClient } from "@/server/kube/kube-client";

import type { ProvisionerConfig } from "./config";

export type LaunchFault = { reason: string; message: string };

type FaultLists = { unavailable: string[]; quotaExceeded: string[] };

const split = (v: string | undefined) =>
  (v ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);

/**
 * Faults come from the environment and, at run time, from a ConfigMap, so a test can make a
 * SKU fail on the shared cluster without restarting the provisioner.
 */
async function readFaultLists(client: KubeClient, config: ProvisionerConfig): Promise<FaultLists> {
  const lists: FaultLists = {
    unavailable: [...config.PROVISIONER_UNAVAILABLE_SKUS],
    quotaExceeded: [...config.PROVISIONER_QUOTA_EXCEEDED_SKUS],
  };
  const [namespace, name] = config.PROVISIONER_FAULTS_CONFIGMAP.split("/");
  try {
    const cm = await client.request<{ data?: Record<string, string> }>({
      method: "GET",
      path: `/api/v1/namespaces/${namespace}/configmaps/${name}`,
    });
    lists.unavailable.push(...split(cm.data?.unavailableSkus));
    lists.quotaExceeded.push(...split(cm.data?.quotaExceededSkus));
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
  return lists;
}

/** Why launching this SKU fails, in the words karpenter and the Azure provider use; undefined if it launches. */
export async function findLaunchFault(
  client: KubeClient,
  config: ProvisionerConfig,
  instanceType: string | undefined,
  known: boolean,
): Promise<LaunchFault | undefined> {
  if (!instanceType || !known) {
    return {
      reason: "InsufficientCapacity",
      message: `creating instance, no instance type ${instanceType ?? "(none requested)"} is offered: ${KARPENTER_UNAVAILABLE_MESSAGE}`,
    };
  }
  const lists = await readFaultLists(client, config);
  if (lists.unavailable.includes(instanceType)) {
    return {
      reason: "InsufficientCapacity",
      message: `creating instance, insufficient capacity, ${KARPENTER_UNAVAILABLE_MESSAGE}`,
    };
  }
  if (lists.quotaExceeded.includes(instanceType)) {
    return {
      reason: "QuotaExceeded",
      message:
        `creating instance, subscription level quota for ${instanceType} has been reached ` +
        `(Operation could not be completed as it results in exceeding approved Cores quota), ${KARPENTER_UNAVAILABLE_MESSAGE}`,
    };
  }
  return undefined;
}
