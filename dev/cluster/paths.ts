// Where the local cluster keeps its state. Everything lives under .data/cluster/ (git-ignored),
// so `rm -rf .data/cluster` after `npm run cluster:down` is a complete reset.
import path from "node:path";

export const repoRoot = path.resolve(import.meta.dirname, "../..");
export const CLUSTER_NAME = "kaito-dashboard";
/** CLUSTER_DATA_DIR runs a second, separate cluster (e.g. to try the launcher without touching the shared one). */
export const clusterDataDir = path.resolve(process.env.CLUSTER_DATA_DIR ?? path.join(repoRoot, ".data/cluster"));
/** KWOK_WORKDIR for kwokctl: it keeps each cluster under clusters/<name>/ (pki, pids, logs, etcd). */
export const kwokWorkdir = path.join(clusterDataDir, "kwok");
export const kwokClusterDir = path.join(kwokWorkdir, "clusters", CLUSTER_NAME);
export const kubeconfigPath = path.join(clusterDataDir, "kubeconfig");
export const kwokConfigPath = path.join(clusterDataDir, "kwokctl.yaml");
export const provisionerPidFile = path.join(clusterDataDir, "provisioner.pid");
export const provisionerLogFile = path.join(clusterDataDir, "provisioner.log");
/** The apiserver's audit policy and log (ServiceAccounts' writes only; see the policy file). */
export const auditPolicyPath = path.join(repoRoot, "dev/cluster/audit-policy.yaml");
export const auditLogPath = path.join(kwokClusterDir, "logs", "audit.log");
/** The log KWOK serves for every pod: the model-server double's start-up and benchmark lines. */
export const podLogFile = path.join(clusterDataDir, "pod.log");
/**
 * The chart's CRDs: Kaito's (files/crds/, templated by the chart under crds.install) and the
 * NodeClaim CRD it borrows from Karpenter (crds/, which Helm installs only when absent).
 */
export const crdDirs = [
  path.join(repoRoot, "charts/kaito-dashboard/files/crds"),
  path.join(repoRoot, "charts/kaito-dashboard/crds"),
];

/**
 * Whether a KUBECONFIG value leaves the choice to the project (unset) or names the local cluster's
 * own file, as a shell that exported it for kubectl does. Relative paths count from the cwd.
 */
export function isLocalKubeconfig(value: string | undefined): boolean {
  return !value || path.resolve(value) === kubeconfigPath;
}
