import "server-only";

import { FIELD_MANAGER } from "@/lib/kaito/api";
import { InferenceSetReason, ScaledObjectAnnotation } from "@/lib/kaito/inferenceset";
import { KubeApiError, isNotFound, type KubeClient } from "@/server/kube/kube-client";
import type { InferenceSet } from "@/server/kube/types/inferenceset";

import { canonical } from "../compute-workspace-status";
import type { Verdict } from "./compute-inferenceset-status";
import type { InferenceSetContext } from "./inferenceset-context";
import {
  KEDA_GROUP_VERSION,
  readAutoscalingRequest,
  renderScaledObject,
  SCALEDOBJECT_PLURAL,
  type ScaledObject,
} from "./render-scaledobject";

/** How long "KEDA is (not) installed" is believed before discovery is asked again. */
const DISCOVERY_TTL_MS = 10_000;

const scaledObjectPath = (ns: string, name?: string) =>
  `/apis/${KEDA_GROUP_VERSION}/namespaces/${ns}/${SCALEDOBJECT_PLURAL}${name ? `/${name}` : ""}`;

/** Whether the apiserver serves KEDA's ScaledObjects (discovery needs no RBAC), cached briefly. */
export function createKedaDetector(client: KubeClient, now = () => Date.now()) {
  let cached: { served: boolean; at: number } | undefined;
  return async (): Promise<boolean> => {
    if (cached && now() - cached.at < DISCOVERY_TTL_MS) return cached.served;
    let served = false;
    try {
      const list = await client.request<{ resources: { name: string }[] }>({
        method: "GET",
        path: `/apis/${KEDA_GROUP_VERSION}`,
      });
      served = list.resources.some((r) => r.name === SCALEDOBJECT_PLURAL);
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
    cached = { served, at: now() };
    return served;
  };
}

async function removeOwnScaledObject(ctx: InferenceSetContext, set: InferenceSet): Promise<void> {
  const path = scaledObjectPath(set.metadata.namespace, set.metadata.name);
  const existing = await ctx.client.request<ScaledObject>({ method: "GET", path }).catch((error: unknown) => {
    if (isNotFound(error)) return undefined;
    throw error;
  });
  // Only the one this set controls: a ScaledObject someone wrote by hand for the set is theirs.
  if (existing?.metadata.ownerReferences?.some((r) => r.controller && r.uid === set.metadata.uid))
    await ctx.client.request({ method: "DELETE", path }).catch((error: unknown) => {
      if (!isNotFound(error)) throw error;
    });
}

/**
 * The autoscaling step: the `scaledobject.kaito.sh/*` annotations become a KEDA ScaledObject
 * (server-side applied under our field manager, so the apiserver validates it against KEDA's
 * CRD), or a condition that says why not. Removing the annotation removes the ScaledObject.
 */
export async function ensureAutoscaling(
  ctx: InferenceSetContext,
  key: string,
  set: InferenceSet,
  nodesPerReplica: number,
): Promise<Verdict | undefined> {
  const request = readAutoscalingRequest(set, nodesPerReplica);
  const applied = ctx.scaledObjects.get(key);
  if (!request.requested) {
    // Unknown (first pass since start) or applied earlier: one look, in case the annotation went away.
    if (applied !== "" && (await ctx.kedaInstalled())) await removeOwnScaledObject(ctx, set);
    ctx.scaledObjects.set(key, "");
    return undefined;
  }
  if ("error" in request)
    return { status: "False", reason: InferenceSetReason.InvalidAutoscalingConfig, message: request.error };
  if (!(await ctx.kedaInstalled()))
    return {
      status: "False",
      reason: InferenceSetReason.KedaNotInstalled,
      message: `autoscaling is requested (${ScaledObjectAnnotation.AutoProvision}: "true") but KEDA is not installed: the cluster serves no ScaledObject (${KEDA_GROUP_VERSION})`,
    };

  const desired = renderScaledObject(set, request, ctx.config.INFERENCESET_KEDA_PROMETHEUS_URL);
  const summary = `ScaledObject ${desired.metadata.name} scales between ${request.minReplicas} and ${request.maxReplicas} replicas on ${request.metricName} (threshold ${request.threshold} per replica)`;
  if (applied === canonical(desired))
    return { status: "True", reason: InferenceSetReason.ScaledObjectReady, message: summary };
  try {
    await ctx.client.request({
      method: "PATCH",
      path: scaledObjectPath(desired.metadata.namespace, desired.metadata.name),
      query: { fieldManager: FIELD_MANAGER, force: true },
      body: desired,
      contentType: "application/apply-patch+yaml",
    });
  } catch (error) {
    // The apiserver refused it against KEDA's schema: say so on the set rather than retrying forever.
    if (error instanceof KubeApiError && (error.statusCode === 422 || error.statusCode === 400))
      return { status: "False", reason: InferenceSetReason.ScaledObjectRejected, message: error.message };
    throw error;
  }
  ctx.scaledObjects.set(key, canonical(desired));
  return { status: "True", reason: InferenceSetReason.ScaledObjectReady, message: summary };
}
