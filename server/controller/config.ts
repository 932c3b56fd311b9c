import "server-only";

import { z } from "zod";

import { envBoolean, parseEnv } from "@/server/env";

// Names match the Helm chart's worker Deployment (charts/kaito-dashboard/templates/worker-deployment.yaml).
const schema = z.object({
  WORKER_PORT: z.coerce.number().int().min(0).max(65535).default(9464),
  // Reconciles mostly wait on the apiserver, so concurrency buys throughput, not CPU: creating a
  // ClusterIP Service waits ~2 s on the apiserver's address allocator under load, and at 32 slots
  // a rollout of 1,000 Workspaces was held up by that wait (docs/benchmarks.md).
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(64),
  /**
   * reconcile: this worker is the Workspace controller. observe: another controller (upstream
   * Kaito) reconciles; this worker only watches and records the timeline, and writes nothing to
   * Kubernetes (docs/install.md, "Beside an installed Kaito").
   */
  CONTROLLER_MODE: z.enum(["reconcile", "observe"]).default("reconcile"),
  NODE_PROVISIONER_MODE: z.enum(["nodeclaim", "byo"]).default("nodeclaim"),
  CONTROLLER_IMAGE_REGISTRY: z.string().min(1).default("mcr.microsoft.com/aks/kaito"),
  CONTROLLER_IMAGE_TAG: z.string().min(1).default("0.2.0"),
  CONTROLLER_NODECLAIM_DELETE_TIMEOUT_SECONDS: z.coerce.number().int().min(0).default(900),
  CONTROLLER_RESYNC_SECONDS: z.coerce.number().int().min(10).default(600),
  LEADER_ELECTION: envBoolean(true),
  LEADER_ELECTION_NAMESPACE: z.string().min(1).default("default"),
  LEADER_ELECTION_LEASE_NAME: z.string().min(1).default("kaito-dashboard-worker"),
  LEADER_ELECTION_LEASE_DURATION_SECONDS: z.coerce.number().int().min(2).default(10),
  LEADER_ELECTION_RENEW_DEADLINE_SECONDS: z.coerce.number().int().min(1).default(8),
  LEADER_ELECTION_RETRY_PERIOD_SECONDS: z.coerce.number().min(0.2).default(2),
  CONTROLLER_TIMELINE: z.enum(["database", "memory", "off"]).default("database"),
  CONTROLLER_PHASE_EVENTS: envBoolean(true),
  CONTROLLER_TEST_POD_ANNOTATION_PREFIX: z.string().default(""),
  /** Reconcile only Workspaces in this namespace (tests, one dashboard per team); empty = all. */
  CONTROLLER_NAMESPACE: z.string().default(""),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
});

export type ControllerConfig = z.infer<typeof schema>;
export type ControllerMode = ControllerConfig["CONTROLLER_MODE"];

/** The worker's mode as the web process reads it (the chart gives both the same CONTROLLER_MODE). */
export function controllerMode(source: NodeJS.ProcessEnv = process.env): ControllerMode {
  return parseEnv("controller", schema.pick({ CONTROLLER_MODE: true }), source).CONTROLLER_MODE;
}

export function controllerConfig(source: NodeJS.ProcessEnv = process.env): ControllerConfig {
  return parseEnv("controller", schema, {
    ...source,
    // The chart names the port WORKER_METRICS_PORT and passes the Lease namespace as POD_NAMESPACE too.
    WORKER_PORT: source.WORKER_PORT ?? source.WORKER_METRICS_PORT,
    LEADER_ELECTION_NAMESPACE: source.LEADER_ELECTION_NAMESPACE ?? source.POD_NAMESPACE,
  });
}
