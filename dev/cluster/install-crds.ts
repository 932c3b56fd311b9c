// Installs the CRDs kept in the Helm chart (charts/kaito-dashboard/{files/crds,crds}/) into a cluster.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

import type { KubeConfig, V1CustomResourceDefinition } from "@kubernetes/client-node";
import { parseAllDocuments } from "yaml";

import { createKubeClient, isNotFound, type KubeClient } from "@/server/kube/kube-client";

import { crdDirs } from "./paths";

/** CRDs that belong to another project: installed only when the cluster lacks them, never replaced. */
const FOREIGN_CRDS = new Set(["nodeclaims.karpenter.sh"]);
const CRDS = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions";

function readCrds(): V1CustomResourceDefinition[] {
  return crdDirs
    .flatMap((dir) =>
      readdirSync(dir)
        .filter((f) => /\.ya?ml$/.test(f))
        .sort()
        .map((f) => path.join(dir, f)),
    )
    .flatMap((file) => parseAllDocuments(readFileSync(file, "utf8")).map((d) => d.toJS()))
    .filter((doc): doc is V1CustomResourceDefinition => doc?.kind === "CustomResourceDefinition");
}

/**
 * `onlyIfAbsent` is for clusters that are not ours (a KUBECONFIG the user chose): a Kaito
 * installation's own CRD there must not be replaced by the chart's.
 */
export async function installCrds(
  kc: KubeConfig,
  log: (line: string) => void = console.log,
  { onlyIfAbsent = false } = {},
): Promise<void> {
  // CRDs are sent verbatim as JSON: the generated clients of @kubernetes/client-node drop keys
  // they do not model (x-kubernetes-validations, x-kubernetes-preserve-unknown-fields), which
  // would silently strip the CEL rules.
  const client = await createKubeClient(kc);
  const get = (name: string) => client.request<V1CustomResourceDefinition>({ method: "GET", path: `${CRDS}/${name}` });
  for (const crd of readCrds()) {
    const name = crd.metadata!.name!;
    let existing: V1CustomResourceDefinition | undefined;
    try {
      existing = await get(name);
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
    if (!existing) {
      await client.request({ method: "POST", path: CRDS, body: crd });
      log(`  installed CRD ${name}`);
    } else if (onlyIfAbsent || FOREIGN_CRDS.has(name)) {
      continue;
    } else {
      crd.metadata!.resourceVersion = existing.metadata!.resourceVersion;
      await client.request({ method: "PUT", path: `${CRDS}/${name}`, body: crd });
    }
    await waitEstablished(client, name);
  }
}

async function waitEstablished(client: KubeClient, name: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const crd = await client.request<V1CustomResourceDefinition>({ method: "GET", path: `${CRDS}/${name}` });
    if (crd.status?.conditions?.some((c) => c.type === "Established" && c.status === "True")) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`CRD ${name} was not Established within 30 s`);
}
