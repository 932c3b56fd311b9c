import "server-only";

import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

/** The resource a REST path addresses: `/apis/apps/v1/namespaces/x/statefulsets/y` → statefulsets. */
export function resourceOfPath(path: string): string {
  const parts = path.split("?")[0].split("/").filter(Boolean);
  const start = parts[0] === "api" ? 2 : 3;
  const rest = parts.slice(start);
  if (rest[0] === "namespaces" && rest.length > 2) rest.splice(0, 2);
  return rest.length >= 3 ? `${rest[0]}/${rest[2]}` : (rest[0] ?? "unknown");
}

export type ControllerMetrics = ReturnType<typeof createControllerMetrics>;

export function createControllerMetrics() {
  const registry = new Registry();
  // The event-loop delay histogram samples on a libuv timer; prom-client's default 10 ms wakes an
  // idle worker 100 times a second, 100 ms is fine for a reconcile loop.
  collectDefaultMetrics({ register: registry, prefix: "kaito_worker_", eventLoopMonitoringPrecision: 100 });
  return {
    registry,
    reconcileDuration: new Histogram({
      name: "kaito_controller_reconcile_duration_seconds",
      help: "Time one Workspace reconcile took, by outcome",
      labelNames: ["outcome"],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    queueDepth: new Gauge({
      name: "kaito_controller_queue_depth",
      help: "Workspace keys waiting in the work queue",
      registers: [registry],
    }),
    reconcileErrors: new Counter({
      name: "kaito_controller_reconcile_errors_total",
      help: "Failed reconciles, by reason (Kubernetes Status reason or error class)",
      labelNames: ["reason"],
      registers: [registry],
    }),
    workspacesByState: new Gauge({
      name: "kaito_controller_workspaces",
      help: "Workspaces by status.state",
      labelNames: ["state"],
      registers: [registry],
    }),
    apiRequests: new Counter({
      name: "kaito_controller_apiserver_requests_total",
      help: "Requests to the Kubernetes apiserver, by verb, resource and status code",
      labelNames: ["verb", "resource", "code"],
      registers: [registry],
    }),
    isLeader: new Gauge({
      name: "kaito_controller_leader",
      help: "1 while this worker holds the leader Lease",
      registers: [registry],
    }),
    informerHealthy: new Gauge({
      name: "kaito_controller_informer_watching",
      help: "1 while the informer's watch is connected",
      labelNames: ["path"],
      registers: [registry],
    }),
    // Per inference Workspace, for the chart's "not Ready for 15 min" alert; scraped with
    // honor_labels so that `namespace` stays the Workspace's, not the worker's.
    workspaceReady: new Gauge({
      name: "kaito_workspace_ready",
      help: "1 while an inference Workspace's status.state is Ready",
      labelNames: ["namespace", "workspace"],
      registers: [registry],
    }),
  };
}
