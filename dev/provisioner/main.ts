// The GPU provisioner double: stands in for Azure's gpu-provisioner / karpenter on the local
// cluster. Watches NodeClaims and turns each into a KWOK Node with the SKU's GPUs.
//   KUBECONFIG=.data/cluster/kubeconfig node --conditions=react-server --import tsx dev/provisioner/main.ts
// (`npm run cluster:up` starts it; configuration in ./config.ts).
import "server-only";

import { createInformer } from "@/server/kube/create-informer";
import { createKubeClient } from "@/server/kube/kube-client";
import { loadKubeConfig } from "@/server/kube/kubeconfig";
import type { NodeClaim } from "@/server/kube/types/nodeclaim";

import { readProvisionerConfig } from "./config";
import { deleteOrphanNode, reconcileNodeClaim, type ReconcileDeps } from "./reconcile-nodeclaim";

const config = readProvisionerConfig();
const client = await createKubeClient(loadKubeConfig().kc);

function log(msg: string, fields: Record<string, unknown> = {}) {
  process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), msg, ...fields })}\n`);
}

const deps: ReconcileDeps = { client, config, now: () => new Date(), log };

const informer = createInformer<NodeClaim>({
  client,
  path: "/apis/karpenter.sh/v1/nodeclaims",
  onAdd: (claim) => enqueue(claim.metadata.name),
  onUpdate: (claim) => enqueue(claim.metadata.name),
  onDelete: (claim) =>
    void deleteOrphanNode(claim, deps).catch((error) => log("delete node failed", { error: String(error) })),
  onError: (error) => log("watch failed, retrying with backoff", { error: String(error) }),
});

// One reconcile at a time per claim; events that arrive meanwhile fold into one more pass.
const running = new Set<string>();
const again = new Set<string>();
const timers = new Map<string, NodeJS.Timeout>();

function enqueue(name: string, afterMs = 0) {
  clearTimeout(timers.get(name));
  timers.delete(name);
  if (afterMs > 0) {
    timers.set(
      name,
      setTimeout(() => {
        timers.delete(name);
        enqueue(name);
      }, afterMs),
    );
    return;
  }
  if (running.has(name)) {
    again.add(name);
    return;
  }
  void reconcile(name);
}

async function reconcile(name: string) {
  running.add(name);
  let retryMs: number | undefined;
  try {
    const claim = informer.get(name);
    if (claim) retryMs = (await reconcileNodeClaim(claim, deps)).requeueAfterMs;
  } catch (error) {
    log("reconcile failed", { nodeClaim: name, error: String(error) });
    retryMs = 1000;
  } finally {
    running.delete(name);
  }
  if (again.delete(name)) enqueue(name);
  else if (retryMs !== undefined) enqueue(name, retryMs);
}

await informer.start();
await informer.synced();
log("watching NodeClaims", {
  delayMs: config.PROVISIONER_DELAY_MS,
  unavailableSkus: config.PROVISIONER_UNAVAILABLE_SKUS,
  quotaExceededSkus: config.PROVISIONER_QUOTA_EXCEEDED_SKUS,
  faultsConfigMap: config.PROVISIONER_FAULTS_CONFIGMAP,
});

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    informer.stop();
    process.exit(0);
  });
}
