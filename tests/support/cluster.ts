// Helpers for integration tests on the cluster that tests/support/global-setup.ts provides:
// its kubeconfig, API clients, kubectl and a namespace per test file (polling: ./wait-for.ts).
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";

import { AppsV1Api, CoreV1Api, CustomObjectsApi, KubeConfig } from "@kubernetes/client-node";
import { afterAll, beforeAll } from "vitest";

import { waitFor } from "./wait-for";

export function kubeconfigPath(): string {
  return process.env.KUBECONFIG ?? path.resolve(import.meta.dirname, "../../.data/cluster/kubeconfig");
}

export function loadTestKubeConfig(): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfigPath());
  return kc;
}

export function kubeApis() {
  const kc = loadTestKubeConfig();
  return {
    kc,
    core: kc.makeApiClient(CoreV1Api),
    apps: kc.makeApiClient(AppsV1Api),
    custom: kc.makeApiClient(CustomObjectsApi),
  };
}

export type KubectlResult = { status: number; stdout: string; stderr: string };

/** Runs the real kubectl against the test cluster, the way a user would. */
export function kubectl(args: string[], input?: string): KubectlResult {
  const result = spawnSync("kubectl", args, {
    input,
    encoding: "utf8",
    env: { ...process.env, KUBECONFIG: kubeconfigPath() },
  });
  if (result.error) throw result.error;
  return { status: result.status ?? 1, stdout: result.stdout, stderr: result.stderr };
}

/** A short random suffix for cluster-scoped names, so parallel runs on one cluster never collide. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString("hex")}`;
}

export const statusCode = (error: unknown) => (error as { code?: number }).code;

/**
 * Gives the calling test file its own namespace, created before its tests and deleted after.
 * Use `ns.name` inside tests and hooks.
 */
export function useTestNamespace(prefix: string): { readonly name: string } {
  const ns = { name: "" };
  beforeAll(async () => {
    const { core } = kubeApis();
    ns.name = uniqueName(`t-${prefix}`);
    await core.createNamespace({
      body: { metadata: { name: ns.name, labels: { "kaito-dashboard.dev/test": "true" } } },
    });
    // Pods cannot be created until kube-controller-manager has made the namespace's default ServiceAccount.
    await waitFor(`ServiceAccount default in ${ns.name}`, () =>
      core.readNamespacedServiceAccount({ name: "default", namespace: ns.name }).then(() => true),
    );
  });
  afterAll(async () => {
    if (!ns.name) return;
    const { core } = kubeApis();
    await core.deleteNamespace({ name: ns.name }).catch(() => undefined);
  });
  return ns;
}
