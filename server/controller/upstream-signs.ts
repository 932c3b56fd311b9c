import "server-only";

import type { V1Deployment, V1Lease, V1ObjectMeta } from "@kubernetes/client-node";

import { FIELD_MANAGER } from "@/lib/kaito/api";

/*
 * How to tell that upstream Kaito's workspace controller runs in the cluster. Its finalizer has
 * the same name as ours, so it says nothing; these do (tests/fixtures/upstream-kaito-v012/README.md):
 * - its chart labels the controller's Deployment `app.kubernetes.io/name: workspace` (the chart's
 *   name), in whatever namespace it was installed;
 * - its binary elects a leader on the Lease `ef60f9b0.io` in its namespace, however it was
 *   installed (upstream chart or AKS add-on), and renews it every few seconds while it runs.
 */
export const UPSTREAM_DEPLOYMENT_SELECTOR = "app.kubernetes.io/name=workspace";
export const UPSTREAM_LEASE_NAME = "ef60f9b0.io";

export type UpstreamSign = { kind: "Deployment" | "Lease"; namespace: string; name: string; detail: string };

/** A Lease not renewed for this many lease durations is a leftover of an uninstalled controller. */
const STALE_AFTER_DURATIONS = 2;

export function findUpstreamSigns(input: {
  deployments: V1Deployment[];
  leases: V1Lease[];
  now: number;
}): UpstreamSign[] {
  const signs: UpstreamSign[] = [];
  for (const d of input.deployments) {
    // Scaled to zero, it reconciles nothing.
    const replicas = d.spec?.replicas ?? 1;
    if (replicas < 1 || d.metadata?.deletionTimestamp) continue;
    signs.push({
      kind: "Deployment",
      namespace: d.metadata?.namespace ?? "",
      name: d.metadata?.name ?? "",
      detail: `${replicas} replica${replicas === 1 ? "" : "s"}`,
    });
  }
  for (const lease of input.leases) {
    const holder = lease.spec?.holderIdentity;
    const renewed = lease.spec?.renewTime ?? lease.spec?.acquireTime;
    if (!holder || !renewed) continue;
    const age = input.now - new Date(renewed as unknown as string).getTime();
    const duration = (lease.spec?.leaseDurationSeconds ?? 15) * 1000;
    if (age > STALE_AFTER_DURATIONS * duration) continue;
    signs.push({
      kind: "Lease",
      namespace: lease.metadata?.namespace ?? "",
      name: lease.metadata?.name ?? "",
      detail: `held by ${holder}`,
    });
  }
  return signs;
}

export function describeSigns(signs: UpstreamSign[]): string {
  return signs.map((s) => `${s.kind} ${s.namespace}/${s.name} (${s.detail})`).join(", ");
}

/** Why a reconciling worker stands down, naming the mode that works beside upstream. */
export function refusalMessage(signs: UpstreamSign[]): string {
  return (
    `Upstream Kaito's workspace controller is running (${describeSigns(signs)}): this worker does not ` +
    "reconcile beside it, two controllers would fight over the same Workspaces. Set CONTROLLER_MODE=observe " +
    "(Helm: controller.mode=observe) to run beside it, or uninstall upstream's controller."
  );
}

/**
 * Status field managers that are this project's controller: ours by name, and `unknown`, the
 * name the apiserver gave our status writes before they named their field manager (a client
 * without a User-Agent), which stays on Workspaces written back then.
 */
const OWN_STATUS_MANAGERS = new Set([FIELD_MANAGER, "unknown"]);

/**
 * The field manager of someone else's controller that writes this Workspace's status (upstream
 * Kaito: `manager` in its image, `kaito-workspace` built from source), if any. Such a Workspace
 * is never reconciled by ours; clearing its status hands it over (docs/install.md).
 */
export function foreignStatusManager(meta: V1ObjectMeta | undefined): string | undefined {
  return meta?.managedFields?.find(
    (e) =>
      e.subresource === "status" &&
      "f:status" in ((e.fieldsV1 as object | undefined) ?? {}) &&
      !OWN_STATUS_MANAGERS.has(e.manager ?? "unknown"),
  )?.manager;
}
