// `npm run cluster:status`: which parts of the local cluster run, and the log tail of any that crashed.
import { clusterExists, apiserverReady, listComponents } from "./kwokctl";
import { kubeconfigPath, provisionerLogFile } from "./paths";
import { tailFile } from "./processes";
import { provisionerPid } from "./provisioner-process";

export type ClusterStatus = "running" | "degraded" | "absent";

export async function inspectCluster(log: (line: string) => void = console.log): Promise<ClusterStatus> {
  if (!clusterExists()) {
    log("Local cluster: not created (npm run cluster:up starts it).");
    return "absent";
  }
  const parts = [
    ...listComponents().map((c) => ({ name: c.name, pid: c.pid, running: c.running, logFile: c.logFile })),
    {
      name: "gpu-provisioner",
      pid: provisionerPid(),
      running: provisionerPid() !== undefined,
      logFile: provisionerLogFile,
    },
  ];
  const ready = await apiserverReady();
  log(`Local cluster (kubeconfig ${kubeconfigPath}): apiserver ${ready ? "ready" : "NOT ready"}`);
  for (const part of parts) {
    log(`  ${part.name.padEnd(24)} ${part.running ? `running (pid ${part.pid})` : "NOT RUNNING"}`);
  }
  for (const part of parts.filter((p) => !p.running)) {
    log(`\n--- last lines of ${part.logFile}:\n${tailFile(part.logFile)}`);
  }
  return ready && parts.every((p) => p.running) ? "running" : "degraded";
}
