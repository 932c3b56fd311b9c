// The GPU provisioner double: stands in for Azure's gpu-provisioner / karpenter on the local
// cluster. Watches NodeClaims and turns each into a KWOK Node with the SKU's GPUs.
//   KUBECONFIG=.data/cluster/kubeconfig node --conditions=react-server --import tsx dev/provisioner/main.ts
// (`npm run cluster:up` starts it; configuration in ./config.ts).
import "server-only";

import { createInformer } from "@/server/kube/create-informer";
import { createKubeClient } from "@/server/kube/kube-client";
import { loadKubeConfig } from "@/server/kube/kubeconfig";
import type { NodeClaim } from "@/server/kube/types/nodeclaim";
import type { V1Node } from "@kubernetes/client-node";

import { readProvisionerConfig } from "./config";
import { deleteOrphanNode, reconcileNodeClaim, type ReconcileDeps } from "./reconcile-nodeclaim";

const config = readProvisionerConfig();
const client = await createKubeClient(loadKubeConfig().kc);

function log(msg: string, fields: Record<string, unknown> = {}) {
  process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), msg, ...fields })}\n`);
}

// Nodes as far as the claims need them: whether KWOK reports them Ready. A claim waiting for its
// Node is brought back by this watch instead of polling the Node.
const nodes = createInformer<V1Node>({
  client,
  path: "/api/v1/nodes",
  transform: (node) =>
    ({
      metadata: { name: node.metadata?.name, resourceVersion: node.metadata?.resourceVersion },
      status: { conditions: node.status?.conditions?.filter((c) => c.type === "Ready") },
    }) as V1Node,
  onAdd: (node) => enqueueIfClaimed(node),
  onUpdate: (node) => enqueueIfClaimed(node),
  onError: (error) => log("node watch failed, retrying with backoff", { error: String(error) }),
});

function isReady(node: V1Node): boolean {
  return node.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True") ?? false;
}

function enqueueIfClaimed(node: V1Node) {
  const name = node.metadata!.name!;
  if (isReady(node) && informer.get(name)) enqueue(name);
}

const deps: ReconcileDeps = {
  client,
  config,
  now: () => new Date(),
  log,
  nodeReadiness: (name) => {
    const node = nodes.get(name);
    return node && { ready: isReady(node) };
  },
};

const informer = createInformer<NodeClaim>({
  client,
  path: "/apis/karpenter.sh/v1/nodeclaims",
  onAdd: (claim) => enqueue(claim.metadata.name),
  onUpdate: (claim) => enqueue(claim.metadata.name),
  onDelete: (claim) => {
    written.delete(claim.metadata.name);
    void deleteOrphanNode(claim, deps).catch((error) => log("delete node failed", { error: String(error) }));
  },
  onError: (error) => log("watch failed, retrying with backoff", { error: String(error) }),
});

// One reconcile at a time per claim; events that arrive meanwhile fold into one more pass.
const running = new Set<string>();
const again = new Set<string>();
const timers = new Map<string, NodeJS.Timeout>();
// The version each claim reached with our last write. Older versions the watch still delivers are
// skipped: a pass over one would repeat the step just done and fail on its resourceVersion.
const written = new Map<string, bigint>();

function isOlderThanOurWrite(claim: NodeClaim): boolean {
  const ours = written.get(claim.metadata.name);
  if (ours === undefined) return false;
  if (BigInt(claim.metadata.resourceVersion ?? "0") >= ours) {
    written.delete(claim.metadata.name);
    return false;
  }
  return true;
}

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
    if (claim && !isOlderThanOurWrite(claim)) {
      const result = await reconcileNodeClaim(claim, deps);
      retryMs = result.requeueAfterMs;
      if (result.resourceVersion) written.set(name, BigInt(result.resourceVersion));
    }
  } catch (error) {
    log("reconcile failed", { nodeClaim: name, error: String(error) });
    retryMs = 1000;
  } finally {
    running.delete(name);
  }
  if (again.delete(name)) enqueue(name);
  else if (retryMs !== undefined) enqueue(name, retryMs);
}

await Promise.all([nodes.start(), informer.start()]);
await Promise.all([nodes.synced(), informer.synced()]);
log("watching NodeClaims", {
  delayMs: config.PROVISIONER_DELAY_MS,
  unavailableSkus: config.PROVISIONER_UNAVAILABLE_SKUS,
  quotaExceededSkus: config.PROVISIONER_QUOTA_EXCEEDED_SKUS,
  faultsConfigMap: config.PROVISIONER_FAULTS_CONFIGMAP,
});

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    informer.stop();
    nodes.stop();
    process.exit(0);
  });
}
