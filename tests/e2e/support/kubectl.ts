import { spawnSync } from "node:child_process";
import path from "node:path";

const kubeconfig = process.env.KUBECONFIG ?? path.resolve(".data/cluster/kubeconfig");

/** kubectl against the suite's local cluster; throws with kubectl's own message when it fails. */
export function kubectl(args: string[], input?: string): string {
  const result = spawnSync("kubectl", args, {
    input,
    encoding: "utf8",
    env: { ...process.env, KUBECONFIG: kubeconfig },
  });
  if (result.status !== 0) throw new Error(`kubectl ${args.join(" ")}: ${result.stderr}`);
  return result.stdout;
}

/** The seed's phi-3 inference Workspace on a V100 node, as YAML for `kubectl apply -f -`. */
export function phi3Workspace(namespace: string, name: string): string {
  return `apiVersion: kaito.sh/v1beta1
kind: Workspace
metadata: {name: ${name}, namespace: ${namespace}}
resource: {instanceType: Standard_NC6s_v3, labelSelector: {matchLabels: {apps: ${name}}}}
inference: {preset: {name: phi-3-mini-4k-instruct}}
`;
}

export type TestInferenceSet = { replicas: number; nodeCountLimit?: number; instanceType: string; preset: string };

/**
 * An InferenceSet as upstream writes it (v1alpha1), its children selecting nodes labelled
 * `apps: <name>` and skipping upstream's benchmark run; as JSON for `kubectl apply -f -`.
 */
export function inferenceSet(namespace: string, name: string, set: TestInferenceSet): string {
  return JSON.stringify({
    apiVersion: "kaito.sh/v1alpha1",
    kind: "InferenceSet",
    metadata: { name, namespace, annotations: { "kaito.sh/disable-benchmark": "true" } },
    spec: {
      replicas: set.replicas,
      ...(set.nodeCountLimit === undefined ? {} : { nodeCountLimit: set.nodeCountLimit }),
      labelSelector: { matchLabels: { apps: name } },
      template: { resource: { instanceType: set.instanceType }, inference: { preset: { name: set.preset } } },
    },
  });
}

/** Deletes an InferenceSet without waiting (the worker removes its children), if it is there. */
export function deleteInferenceSet(namespace: string, name: string): void {
  kubectl(["delete", "inferenceset", name, "-n", namespace, "--wait=false", "--ignore-not-found"]);
}

export type TestCondition = { type: string; status: "True" | "False"; reason: string; message?: string };

/**
 * Writes a Workspace's status by hand, as the controller would: the e2e worker reconciles only its
 * own namespace, so specs that need a given state (stuck, invalid …) use a namespace of their own.
 */
export function setWorkspaceStatus(
  namespace: string,
  name: string,
  state: string,
  conditions: TestCondition[],
  rest: Record<string, unknown> = {},
): void {
  const lastTransitionTime = new Date().toISOString().replace(/\.\d+Z$/, "Z");
  const status = { state, conditions: conditions.map((c) => ({ message: "", ...c, lastTransitionTime })), ...rest };
  kubectl([
    "patch",
    "workspace",
    name,
    "-n",
    namespace,
    "--subresource=status",
    "--type=merge",
    "-p",
    JSON.stringify({ status }),
  ]);
}

export function deleteNamespace(namespace: string): void {
  spawnSync("kubectl", ["delete", "namespace", namespace, "--wait=false"], {
    env: { ...process.env, KUBECONFIG: kubeconfig },
  });
}
