// `npm run cluster:down`: stops the provisioner double and deletes the kwokctl cluster (its
// processes, certificates and etcd data). Binaries stay cached for the next `cluster:up`.
import { rmSync } from "node:fs";

import { ensureBinaries } from "./build-binaries";
import { clusterExists, listComponents, runKwokctl } from "./kwokctl";
import { kubeconfigPath, kwokClusterDir } from "./paths";
import { stopPid } from "./processes";
import { stopProvisioner } from "./provisioner-process";

export async function downCluster(log: (line: string) => void = console.log): Promise<void> {
  await stopProvisioner();
  if (clusterExists()) {
    const { kwokctl } = await ensureBinaries(() => {});
    const result = await runKwokctl(kwokctl, ["delete", "cluster"]);
    // Whatever kwokctl could not stop (a failed delete, a wedged process) is stopped by pid so
    // that no process outlives `cluster:down`.
    for (const component of listComponents()) {
      if (component.running && component.pid) await stopPid(component.pid);
    }
    if (result.code !== 0) log(`  kwokctl delete reported a problem:\n${result.output.trim()}`);
    rmSync(kwokClusterDir, { recursive: true, force: true });
    log("▸ Local cluster stopped and deleted.");
  } else {
    log("▸ No local cluster to stop.");
  }
  rmSync(kubeconfigPath, { force: true });
}
