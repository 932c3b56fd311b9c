import "server-only";

import type { V1Deployment, V1Lease } from "@kubernetes/client-node";

import type { KubeClient } from "@/server/kube/kube-client";

import { controllerMode, type ControllerMode } from "./config";
import {
  findUpstreamSigns,
  refusalMessage,
  UPSTREAM_DEPLOYMENT_SELECTOR,
  UPSTREAM_LEASE_NAME,
  type UpstreamSign,
} from "./upstream-signs";

/** What the web's status bar says about the controller: its mode, upstream's presence and whether the worker stands down. */
export type ControllerStatus = {
  mode: ControllerMode;
  upstream: UpstreamSign[];
  /** Set when a reconciling worker refuses to run beside upstream Kaito: why, and the mode that works. */
  refused?: string;
  /** Set when the signs could not be read (RBAC, apiserver): the status bar then claims nothing. */
  unknown?: string;
};

const CACHE_MS = 5_000;
let cached: { at: number; status: Promise<ControllerStatus> } | undefined;

/**
 * The same signs and the same rule the worker applies (upstream-watch.ts), read with one list
 * each, at most every few seconds however many browsers poll.
 */
export function checkControllerStatus(client: KubeClient, now = Date.now()): Promise<ControllerStatus> {
  if (cached && now - cached.at < CACHE_MS) return cached.status;
  const status = read(client, controllerMode());
  cached = { at: now, status };
  return status;
}

async function read(client: KubeClient, mode: ControllerMode): Promise<ControllerStatus> {
  try {
    const [deployments, leases] = await Promise.all([
      client.request<{ items: V1Deployment[] }>({
        method: "GET",
        path: "/apis/apps/v1/deployments",
        query: { labelSelector: UPSTREAM_DEPLOYMENT_SELECTOR },
      }),
      client.request<{ items: V1Lease[] }>({
        method: "GET",
        path: "/apis/coordination.k8s.io/v1/leases",
        query: { fieldSelector: `metadata.name=${UPSTREAM_LEASE_NAME}` },
      }),
    ]);
    const upstream = findUpstreamSigns({ deployments: deployments.items, leases: leases.items, now: Date.now() });
    return {
      mode,
      upstream,
      ...(mode === "reconcile" && upstream.length ? { refused: refusalMessage(upstream) } : {}),
    };
  } catch (error) {
    return { mode, upstream: [], unknown: (error as Error).message.slice(0, 200) };
  }
}
