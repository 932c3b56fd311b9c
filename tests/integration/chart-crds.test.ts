// The chart's crds.install and crds.keep as a platform engineer meets them: Kaito's CRDs render
// exactly as the dashboard's own files, or not at all; an installation refuses CRDs another
// installer made (upstream Kaito's) instead of replacing them; CRDs handed over to the release are
// upgraded with it and outlive `helm uninstall`, and so do the Workspaces in them.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";

import type { V1CustomResourceDefinition } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, parseAllDocuments } from "yaml";

import { ensureHelm } from "../../dev/helm/ensure-helm";
import { kubeconfigPath, kubectl, uniqueName, useTestNamespace } from "../support/cluster";

const chart = path.resolve(import.meta.dirname, "../../charts/kaito-dashboard");
const KAITO_CRDS = ["workspaces.kaito.sh", "inferencesets.kaito.sh"];
const ns = useTestNamespace("chart-crds");

type Manifest = V1CustomResourceDefinition & { kind: string };

let helmBin: string;

function helm(args: string[]) {
  const result = spawnSync(helmBin, args, { encoding: "utf8", env: { ...process.env, KUBECONFIG: kubeconfigPath() } });
  if (result.error) throw result.error;
  return { status: result.status ?? 1, stdout: result.stdout, stderr: result.stderr };
}

function renderCrds(args: string[] = []): Manifest[] {
  const result = helm(["template", "kd", chart, "--namespace", ns.name, ...args]);
  expect(result.stderr).toBe("");
  expect(result.status).toBe(0);
  return parseAllDocuments(result.stdout)
    .map((d) => d.toJS() as Manifest | null)
    .filter((m): m is Manifest => m?.kind === "CustomResourceDefinition");
}

function readCrd(name: string): V1CustomResourceDefinition {
  const result = kubectl(["get", "crd", name, "-o", "json"]);
  expect(result.stderr).toBe("");
  return JSON.parse(result.stdout) as V1CustomResourceDefinition;
}

// The shared cluster's CRDs, as they were before this file handed them to a Helm release.
const original = new Map<string, V1CustomResourceDefinition>();

beforeAll(() => {
  helmBin = ensureHelm();
  for (const name of KAITO_CRDS) original.set(name, readCrd(name));
}, 1_200_000);

afterAll(() => {
  // Put the CRDs back exactly (ownership labels and annotations included), even after a failure:
  // every later test file works through them.
  for (const [name, crd] of original) {
    const { labels, annotations } = crd.metadata!;
    const body = {
      apiVersion: crd.apiVersion,
      kind: crd.kind,
      metadata: { name, labels, annotations, resourceVersion: readCrd(name).metadata!.resourceVersion },
      spec: crd.spec,
    };
    expect(kubectl(["replace", "-f", "-"], JSON.stringify(body)).stderr).toBe("");
  }
});

describe("chart: crds.install and crds.keep", () => {
  it("renders Kaito's two CRDs by default, identical to the dashboard's own, kept on uninstall; none with crds.install=false", () => {
    const rendered = renderCrds();
    expect(rendered.map((m) => m.metadata!.name).sort()).toEqual([...KAITO_CRDS].sort());
    for (const crd of rendered) {
      const file = path.join(chart, "files/crds", `${crd.metadata!.name}.yaml`);
      const own = parse(readFileSync(file, "utf8")) as V1CustomResourceDefinition;
      expect(crd.spec).toEqual(own.spec);
      expect(crd.metadata!.annotations).toEqual({ "helm.sh/resource-policy": "keep" });
      expect(crd.metadata!.labels).toMatchObject({ "app.kubernetes.io/managed-by": "Helm" });
    }
    for (const crd of renderCrds(["--set", "crds.keep=false"])) expect(crd.metadata!.annotations).toBeUndefined();

    expect(renderCrds(["--set", "crds.install=false"])).toEqual([]);
    for (const value of ["true", "false"]) {
      const lint = helm(["lint", "--strict", chart, "--set", `crds.install=${value}`]);
      expect(lint.stdout + lint.stderr).toContain("1 chart(s) linted, 0 chart(s) failed");
    }
    const wrongType = helm(["template", "kd", chart, "--set", "crds.install=no"]);
    expect(wrongType.status).not.toBe(0);
    expect(wrongType.stderr).toMatch(/crds\/install.*boolean/s);
  });

  it("has the rendered CRDs accepted by the real apiserver as an update of the installed ones", () => {
    const result = helm(["template", "kd", chart, "--namespace", ns.name, "--show-only", "templates/crds.yaml"]);
    expect(result.status).toBe(0);
    const applied = kubectl(
      ["apply", "--server-side", "--force-conflicts", "--dry-run=server", "-f", "-"],
      result.stdout,
    );
    expect(applied.stderr).toBe("");
    expect(applied.stdout).toMatch(/workspaces\.kaito\.sh serverside-applied \(server dry run\)/);
    expect(applied.stdout).toMatch(/inferencesets\.kaito\.sh serverside-applied \(server dry run\)/);
  });

  it("refuses to take over CRDs another installer made (upstream Kaito's), naming them; crds.install=false installs beside them", () => {
    const release = uniqueName("kdcrd").replace(/-/g, "");
    const light = ["--set", "web.replicas=0", "--set", "worker.replicas=0"];
    const refused = helm(["install", release, chart, "--namespace", ns.name, ...light]);
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toMatch(/CustomResourceDefinition "(workspaces|inferencesets)\.kaito\.sh".*exists/s);
    for (const name of KAITO_CRDS) expect(readCrd(name).metadata!.labels?.["helm.sh/chart"]).toBeUndefined();

    const beside = helm(["install", release, chart, "--namespace", ns.name, ...light, "--set", "crds.install=false"]);
    expect(beside.stderr).toBe("");
    expect(beside.status).toBe(0);
    for (const name of KAITO_CRDS)
      expect(readCrd(name).metadata!.annotations?.["meta.helm.sh/release-name"]).toBeUndefined();
    expect(helm(["uninstall", release, "--namespace", ns.name]).status).toBe(0);
  });

  it("adopts CRDs handed over as docs/install.md says, upgrades them with the release and keeps them and their Workspaces on uninstall", () => {
    const release = uniqueName("kdcrd").replace(/-/g, "");
    const workspace = `apiVersion: kaito.sh/v1beta1
kind: Workspace
metadata: {name: survivor, namespace: ${ns.name}}
resource: {instanceType: Standard_NC24ads_A100_v4, labelSelector: {matchLabels: {apps: survivor}}}
inference: {preset: {name: phi-3-mini-4k-instruct}}
`;
    expect(kubectl(["apply", "-f", "-"], workspace).status).toBe(0);
    for (const name of KAITO_CRDS) {
      const labelled = kubectl(["label", "crd", name, "app.kubernetes.io/managed-by=Helm"]);
      const annotated = kubectl([
        "annotate",
        "crd",
        name,
        `meta.helm.sh/release-name=${release}`,
        `meta.helm.sh/release-namespace=${ns.name}`,
      ]);
      expect(labelled.status + annotated.status).toBe(0);
    }
    const light = ["--set", "web.replicas=0", "--set", "worker.replicas=0"];
    const install = helm(["install", release, chart, "--namespace", ns.name, ...light]);
    expect(install.stderr).toBe("");
    expect(install.status).toBe(0);
    for (const name of KAITO_CRDS)
      expect(readCrd(name).metadata!.annotations).toMatchObject({ "helm.sh/resource-policy": "keep" });

    const upgrade = helm([
      "upgrade",
      release,
      chart,
      "--namespace",
      ns.name,
      ...light,
      "--set",
      "commonLabels.team=ml",
    ]);
    expect(upgrade.status).toBe(0);
    for (const name of KAITO_CRDS) expect(readCrd(name).metadata!.labels).toMatchObject({ team: "ml" });

    const uninstall = helm(["uninstall", release, "--namespace", ns.name]);
    expect(uninstall.status).toBe(0);
    expect(uninstall.stdout + uninstall.stderr).toMatch(/kept due to the resource policy/);
    for (const name of KAITO_CRDS) expect(readCrd(name).metadata!.deletionTimestamp).toBeUndefined();
    const survivor = kubectl(["get", "workspace", "survivor", "-n", ns.name, "-o", "name"]);
    expect(survivor.stdout.trim()).toBe("workspace.kaito.sh/survivor");
  });
});
