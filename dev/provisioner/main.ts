// The GPU provisioner double: stands in for Azure's gpu-provisioner / karpenter on the local
// cluster. Watches NodeClaims and turns each into a KWOK Node with the SKU's GPUs.
//   KUBECONFIG=.data/cluster/kubeconfig node --conditions=react-server --import tsx dev/provisioner/main.ts
// (`npm run cluster:up` starts it; configuration in ./config.ts).
import "server-only";

import { createWorkQueue } from "@/server/controller/work-queue";
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
    replaced.delete(claim.metadata.name);
    void deleteOrphanNode(claim, deps).catch((error) => log("delete node failed", { error: String(error) }));
  },
  onError: (error) => log("watch failed, retrying with backoff", { error: String(error) }),
});

// The controller's work queue: one reconcile at a time per claim, events that arrive meanwhile
// fold into one more pass, failures back off per claim.
const queue = createWorkQueue(reconcile, { concurrency: 64, baseDelayMs: 1000, maxDelayMs: 30_000 });

// The version each claim had when our last write replaced it. Until the watch delivers the write,
// the cache still holds that version; a pass over it would repeat the step just done and fail on
// its resourceVersion. resourceVersions are opaque: only equality is compared, never order.
const replaced = new Map<string, string>();

function enqueue(name: string, afterMs = 0) {
  if (afterMs > 0) queue.addAfter(name, afterMs);
  else queue.add(name);
}

async function reconcile(name: string) {
  const claim = informer.get(name);
  if (!claim) return;
  const version = claim.metadata.resourceVersion ?? "";
  if (replaced.get(name) === version) return;
  replaced.delete(name);
  try {
    const result = await reconcileNodeClaim(claim, deps);
    if (result.resourceVersion) replaced.set(name, version);
    return { requeueAfterMs: result.requeueAfterMs };
  } catch (error) {
    log("reconcile failed", { nodeClaim: name, error: String(error) });
    throw error;
  }
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
    void queue.shutDown().finally(() => process.exit(0));
  });
}
