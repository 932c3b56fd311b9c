// The chart's tenancy roles and default bindings (charts/kaito-dashboard/templates/tenancy-rbac.yaml)
// on the local cluster: `npm start` and the test suites impersonate each person the way the
// chart's install does, so the first admin of the embedded default sees and changes every
// namespace as before, and a test can take a binding away to see Kubernetes refuse.
import { readFileSync } from "node:fs";
import path from "node:path";

import type { KubeConfig } from "@kubernetes/client-node";
import { parseAllDocuments } from "yaml";

import { createKubeClient, isNotFound, type KubeClient } from "@/server/kube/kube-client";

const TEMPLATE = path.resolve(import.meta.dirname, "../../charts/kaito-dashboard/templates/tenancy-rbac.yaml");
const RBAC = "/apis/rbac.authorization.k8s.io/v1";
const COLLECTIONS: Record<string, string> = {
  ClusterRole: `${RBAC}/clusterroles`,
  ClusterRoleBinding: `${RBAC}/clusterrolebindings`,
};

type RbacObject = {
  kind: string;
  metadata: {
    name: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    resourceVersion?: string;
  };
};

// Recorded the way `kubectl apply` records what it applied, so that applying the chart's
// rendered objects over these later (tests/integration/helm-chart.test.ts does, dry-run) is an
// ordinary three-way merge instead of a warning about a missing annotation.
const LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

/**
 * The template with its Helm lines dropped: every `{{- … }}` line is a condition that holds with
 * the chart's defaults (rbac.create, rbac.defaultTenantBindings, no other release owning the
 * objects) or the labels include.
 */
export function renderTenancyRbac(): RbacObject[] {
  const text = readFileSync(TEMPLATE, "utf8")
    .replace(/\{\{-? \/\*[\s\S]*?\*\/ -?\}\}/g, "")
    .split("\n")
    .filter((line) => !/^\s*\{\{-/.test(line))
    .join("\n");
  return parseAllDocuments(text)
    .map((d) => d.toJS() as RbacObject | null)
    .filter((d): d is RbacObject => !!d)
    .map((d) => {
      const applied = { ...d, metadata: { ...d.metadata, labels: { "app.kubernetes.io/part-of": "kaito-dashboard" } } };
      return {
        ...applied,
        metadata: { ...applied.metadata, annotations: { [LAST_APPLIED]: JSON.stringify(applied) } },
      };
    });
}

/** Creates or replaces the roles and bindings, so an edited template takes effect on the next start. */
export async function installTenancyRbac(
  kc: KubeConfig,
  log: (line: string) => void = console.log,
  client?: KubeClient,
): Promise<void> {
  const kube = client ?? (await createKubeClient(kc));
  for (const obj of renderTenancyRbac()) {
    const collection = COLLECTIONS[obj.kind];
    const existing = await kube
      .request<RbacObject>({ method: "GET", path: `${collection}/${obj.metadata.name}` })
      .catch((error: unknown) => {
        if (isNotFound(error)) return undefined;
        throw error;
      });
    if (!existing) {
      await kube.request({ method: "POST", path: collection, body: obj });
      log(`  created ${obj.kind} ${obj.metadata.name}`);
    } else {
      obj.metadata.resourceVersion = existing.metadata.resourceVersion;
      await kube.request({ method: "PUT", path: `${collection}/${obj.metadata.name}`, body: obj });
    }
  }
}
