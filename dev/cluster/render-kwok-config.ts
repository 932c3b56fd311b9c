// The kwokctl configuration file for `cluster:up`: kwokctl options plus the Stage documents of
// kwok/stages.yaml with their delays filled in from the environment.
import { readFileSync } from "node:fs";
import path from "node:path";

type Env = Record<string, string | undefined>;

export type StageTimings = {
  podReadyDelayMs: number;
  jobDurationMs: number;
  failurePeriodMs: number;
  nodeHeartbeatMs: number;
};

function envMs(name: string, fallback: number, env: Env): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) {
    throw new Error(`${name} must be a whole number of milliseconds (0 or more), got "${raw}"`);
  }
  return value;
}

export function readStageTimings(env: Env = process.env): StageTimings {
  return {
    podReadyDelayMs: envMs("KWOK_POD_READY_DELAY_MS", 1000, env),
    jobDurationMs: envMs("KWOK_JOB_DURATION_MS", 5000, env),
    failurePeriodMs: envMs("KWOK_FAILURE_PERIOD_MS", 3000, env),
    // Node health rides on leases (kwok-controller renews them), so, as with the kubelet's
    // nodeStatusReportFrequency (5 min), an unchanged status is reported rarely: each report
    // wakes every node watcher, ~3 reports/s with 1,000 nodes.
    nodeHeartbeatMs: envMs("KWOK_NODE_HEARTBEAT_MS", 300_000, env),
  };
}

// Go's collector runs each time the heap doubles (GOGC=100). Rolling out 1,000 Workspaces, the
// apiserver spent a sixth of its CPU collecting a heap of a few hundred MiB; a higher GOGC trades
// memory for that CPU, and GOMEMLIMIT caps what the trade may cost.
const GO_GC = [
  { name: "GOGC", value: "400" },
  { name: "GOMEMLIMIT", value: "1536MiB" },
];
const GO_COMPONENTS = ["kube-apiserver", "etcd", "kube-controller-manager", "kube-scheduler", "kwok-controller"];

function extraEnvs(envs: { name: string; value: string }[]): string[] {
  return ["    extraEnvs:", ...envs.flatMap((e) => [`      - name: ${e.name}`, `        value: "${e.value}"`])];
}

/**
 * Every container of every KWOK pod "logs" the file podLogFile: `kubectl logs` works, and the
 * controller finds the post-load benchmark's result line there as it would in a vLLM pod.
 */
function clusterLogs(podLogFile: string): string {
  return [
    "apiVersion: kwok.x-k8s.io/v1alpha1",
    "kind: ClusterLogs",
    "metadata:",
    "  name: model-server-double",
    "spec:",
    "  selector: {}",
    "  logs:",
    `    - logsFile: ${JSON.stringify(podLogFile)}`,
  ].join("\n");
}

export function renderKwokConfig(timings: StageTimings, podLogFile: string): string {
  const stages = readFileSync(path.join(import.meta.dirname, "kwok/stages.yaml"), "utf8");
  const tokens: Record<string, number> = {
    __POD_READY_DELAY_MS__: timings.podReadyDelayMs,
    __JOB_DURATION_MS__: timings.jobDurationMs,
    __FAILURE_PERIOD_MS__: Math.max(timings.failurePeriodMs, 100),
    __NODE_HEARTBEAT_MS__: timings.nodeHeartbeatMs,
    __NODE_HEARTBEAT_JITTER_MS__: Math.round(timings.nodeHeartbeatMs * 1.1),
  };
  const rendered = stages.replace(/__[A-Z_]+__/g, (token) => {
    if (!(token in tokens)) throw new Error(`kwok/stages.yaml uses an unknown token ${token}`);
    return String(tokens[token]);
  });
  // Loopback only: the cluster's client certificate is admin, so nothing else should reach it.
  const kwokctlOptions = [
    "apiVersion: config.kwok.x-k8s.io/v1alpha1",
    "kind: KwokctlConfiguration",
    "options:",
    "  bindAddress: 127.0.0.1",
    // The apiserver's default Service range is a /24: past ~250 Workspaces (one ClusterIP Service
    // each) creates fail with "range is full". A /16 apart from the pod range holds 65,000.
    "componentsPatches:",
    ...GO_COMPONENTS.flatMap((name) => [
      `  - name: ${name}`,
      ...(name === "kube-apiserver"
        ? ["    extraArgs:", "      - key: service-cluster-ip-range", "        value: 10.96.0.0/16"]
        : []),
      ...extraEnvs(GO_GC),
    ]),
  ].join("\n");
  // Each stage step is one apiserver round trip; KWOK's default of 4 in flight leaves hundreds of
  // benchmark nodes and pods waiting their turn while the CPUs idle between requests.
  const kwokOptions = [
    "apiVersion: config.kwok.x-k8s.io/v1alpha1",
    "kind: KwokConfiguration",
    "options:",
    // A KwokConfiguration given to kwokctl is not defaulted: everything that matters is spelled
    // out. A /16 gives a benchmark's hundreds of pods their own IPs (KWOK's default is a /24).
    "  cidr: 10.0.0.0/16",
    "  enableDebuggingHandlers: true",
    "  enablePodsOnNodeSyncListPager: true",
    "  podsOnNodeSyncParallelism: 2",
    "  podPlayStageParallelism: 16",
    "  nodePlayStageParallelism: 16",
    "  nodeLeaseParallelism: 8",
  ].join("\n");
  return `${kwokctlOptions}\n---\n${kwokOptions}\n---\n${clusterLogs(podLogFile)}\n---\n${rendered}`;
}
