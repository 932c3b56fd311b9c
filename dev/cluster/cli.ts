// npm run cluster:up | cluster:down | cluster:status
import { BuildError } from "./build-binaries";
import { downCluster } from "./down-cluster";
import { inspectCluster } from "./inspect-cluster";
import { ClusterError, upCluster } from "./up-cluster";

const command = process.argv[2];

try {
  if (command === "up") {
    const { kubeconfig } = await upCluster();
    console.log(
      [
        "",
        "Use it with:",
        `  export KUBECONFIG=${kubeconfig}`,
        "  kubectl get nodes,nodeclaims,workspaces -A",
        "The app, the worker and the tests find it there by themselves; npm run cluster:status shows its parts.",
      ].join("\n"),
    );
  } else if (command === "down") {
    await downCluster();
  } else if (command === "status") {
    const status = await inspectCluster();
    process.exitCode = status === "running" ? 0 : status === "absent" ? 3 : 1;
  } else {
    console.error("usage: tsx dev/cluster/cli.ts up|down|status");
    process.exitCode = 2;
  }
} catch (error) {
  // Expected failures read as a sentence; anything else keeps its stack for debugging.
  const expected = error instanceof ClusterError || error instanceof BuildError;
  console.error(`✗ ${expected ? (error as Error).message : ((error as Error).stack ?? String(error))}`);
  process.exitCode = 1;
}
