// The Workspace CRD from charts/kaito-dashboard/files/crds on the real apiserver: Kaito's examples
// apply unchanged, kubectl shows Kaito's columns, CEL rules reject what Kaito's webhook rejects,
// and the two served versions read each other's objects.
import { readFileSync } from "node:fs";
import path from "node:path";

import { describe, expect, it } from "vitest";
import { parse } from "yaml";

import { kubeApis, kubectl, useTestNamespace } from "../support/cluster";

const examples = path.resolve(import.meta.dirname, "../../examples");
const inferenceNs = useTestNamespace("wk-inference");
const tuningNs = useTestNamespace("wk-tuning");

const workspace = (version: "v1alpha1" | "v1beta1", name: string, extra: Record<string, unknown>) => ({
  apiVersion: `kaito.sh/${version}`,
  kind: "Workspace",
  metadata: { name },
  resource: { instanceType: "Standard_NC6s_v3", labelSelector: { matchLabels: { apps: name } } },
  ...extra,
});
const inference = { inference: { preset: { name: "phi-3-mini-4k-instruct" } } };
const tuning = {
  tuning: {
    preset: { name: "phi-3-mini-4k-instruct" },
    method: "qlora",
    input: { urls: ["https://example.com/data.parquet"] },
    output: { image: "registry.example.com/adapter:1", imagePushSecret: "push" },
  },
};

/** kubectl's table output by column, empty cells included (split on whitespace would drop them). */
function readTable(stdout: string): Record<string, string>[] {
  const [header, ...rows] = stdout.trimEnd().split("\n");
  const columns = [...header.matchAll(/\S+/g)].map((m) => ({ name: m[0], start: m.index }));
  return rows.map((row) =>
    Object.fromEntries(columns.map((c, i) => [c.name, row.slice(c.start, columns[i + 1]?.start ?? row.length).trim()])),
  );
}

function apply(namespace: string, object: unknown) {
  return kubectl(["apply", "-n", namespace, "-f", "-"], JSON.stringify(object));
}

describe("Workspace CRD", () => {
  it("accepts the three seed examples unchanged and lists them with Kaito's columns", () => {
    for (const [file, ns] of [
      ["kaito_workspace_phi_3.yaml", inferenceNs.name],
      ["kaito_workspace_phi_3_with_adapters.yaml", inferenceNs.name],
      // Same name as the inference example: a separate namespace, as a user would switch.
      ["kaito_workspace_tuning_phi_3.yaml", tuningNs.name],
    ]) {
      const result = kubectl(["apply", "-n", ns, "-f", path.join(examples, file)]);
      expect(result.stderr).toBe("");
      expect(result.status).toBe(0);
    }

    const listed = kubectl(["get", "wk", "-n", inferenceNs.name]);
    expect(listed.status).toBe(0);
    const [header, ...rows] = listed.stdout.trim().split("\n");
    expect(header.split(/\s+/)).toEqual([
      "NAME",
      "INSTANCE",
      "RESOURCEREADY",
      "INFERENCEREADY",
      "JOBSTARTED",
      "WORKSPACESUCCEEDED",
      "TARGETNODECOUNT",
      "STATE",
      "AGE",
    ]);
    expect(rows.map((r) => r.split(/\s+/).slice(0, 2))).toEqual([
      ["workspace-phi-3-mini", "Standard_NC6s_v3"],
      ["workspace-phi-3-mini-adapter", "Standard_NC6s_v3"],
    ]);
    expect(kubectl(["get", "workspaces.kaito.sh", "-n", tuningNs.name, "-o", "name"]).stdout.trim()).toBe(
      "workspace.kaito.sh/workspace-phi-3-mini",
    );
  });

  it("keeps status behind the status subresource and shows its conditions in the columns", () => {
    const name = "status-columns";
    expect(apply(inferenceNs.name, workspace("v1beta1", name, inference)).status).toBe(0);
    const now = new Date().toISOString();
    const status = {
      status: {
        state: "Ready",
        targetNodeCount: 1,
        conditions: [
          { type: "ResourceReady", status: "True", reason: "r", message: "m", lastTransitionTime: now },
          { type: "InferenceReady", status: "True", reason: "r", message: "m", lastTransitionTime: now },
          { type: "WorkspaceSucceeded", status: "True", reason: "r", message: "m", lastTransitionTime: now },
          { type: "WorkspaceReady", status: "True", reason: "r", message: "m", lastTransitionTime: now },
        ],
      },
    };
    const ignored = kubectl([
      "patch",
      "wk",
      name,
      "-n",
      inferenceNs.name,
      "--type",
      "merge",
      "-p",
      JSON.stringify(status),
    ]);
    expect(ignored.status).toBe(0);
    expect(kubectl(["get", "wk", name, "-n", inferenceNs.name, "-o", "jsonpath={.status}"]).stdout).toBe("");

    const patched = kubectl([
      "patch",
      "wk",
      name,
      "-n",
      inferenceNs.name,
      "--subresource",
      "status",
      "--type",
      "merge",
      "-p",
      JSON.stringify(status),
    ]);
    expect(patched.stderr).toBe("");
    const [row] = readTable(kubectl(["get", "wk", name, "-n", inferenceNs.name]).stdout);
    expect(row).toMatchObject({
      NAME: name,
      INSTANCE: "Standard_NC6s_v3",
      RESOURCEREADY: "True",
      INFERENCEREADY: "True",
      JOBSTARTED: "",
      WORKSPACESUCCEEDED: "True",
      TARGETNODECOUNT: "1",
      STATE: "Ready",
    });
    const ready = kubectl([
      "get",
      "wk",
      name,
      "-n",
      inferenceNs.name,
      "-o",
      `jsonpath={.status.conditions[?(@.type=="WorkspaceReady")].status}`,
    ]);
    expect(ready.stdout).toBe("True");
  });

  it("rejects both and neither of inference and tuning with Kaito's messages", () => {
    const both = apply(inferenceNs.name, workspace("v1beta1", "both", { ...inference, ...tuning }));
    expect(both.status).not.toBe(0);
    expect(both.stderr).toContain("Either Inference or Tuning must be specified, but not both");

    const neither = apply(inferenceNs.name, workspace("v1alpha1", "neither", {}));
    expect(neither.status).not.toBe(0);
    expect(neither.stderr).toContain("Either Inference or Tuning must be specified, not neither");

    expect(kubectl(["get", "wk", "both", "neither", "-n", inferenceNs.name, "--ignore-not-found"]).stdout).toBe("");
  });

  it("rejects structural mistakes: preset with template, a missing labelSelector, bad adapters", () => {
    const presetAndTemplate = apply(
      inferenceNs.name,
      workspace("v1beta1", "pt", { inference: { preset: { name: "phi-3-mini-4k-instruct" }, template: { spec: {} } } }),
    );
    expect(presetAndTemplate.stderr).toContain("Preset and Template cannot be set at the same time");

    const noSelector = workspace("v1beta1", "nosel", inference) as { resource: Record<string, unknown> };
    delete noSelector.resource.labelSelector;
    expect(apply(inferenceNs.name, noSelector).stderr).toMatch(/resource\.labelSelector: Required value/);

    const adapters = Array.from({ length: 11 }, (_, i) => ({ source: { name: `a${i}` }, strength: "0.5" }));
    const tooMany = apply(
      inferenceNs.name,
      workspace("v1beta1", "many", { inference: { ...inference.inference, adapters } }),
    );
    expect(tooMany.stderr).toMatch(/inference\.adapters: Too many: 11: must have at most 10 items/);

    const duplicate = [{ source: { name: "same" }, strength: "1.5" }, { source: { name: "same" } }];
    const bad = apply(
      inferenceNs.name,
      workspace("v1beta1", "dup", { inference: { ...inference.inference, adapters: duplicate } }),
    );
    expect(bad.stderr).toContain("adapter names must be unique");
    expect(bad.stderr).toContain("strength must be a number between 0.0 and 1.0");

    const badMethod = apply(
      tuningNs.name,
      workspace("v1beta1", "method", { tuning: { ...tuning.tuning, method: "full" } }),
    );
    expect(badMethod.stderr).toContain("Invalid tuning method: must be lora or qlora");
  });

  it("keeps resource, preset and the inference/tuning choice immutable after creation", () => {
    const name = "immutable";
    expect(apply(inferenceNs.name, workspace("v1beta1", name, inference)).status).toBe(0);
    const patch = (body: unknown) =>
      kubectl(["patch", "wk", name, "-n", inferenceNs.name, "--type", "merge", "-p", JSON.stringify(body)]);

    const instanceType = patch({ resource: { instanceType: "Standard_NC12s_v3" } });
    expect(instanceType.status).not.toBe(0);
    expect(instanceType.stderr).toContain("resource.instanceType: Invalid value");
    expect(instanceType.stderr).toContain("field is immutable");

    expect(patch({ resource: { count: 2 } }).stderr).toContain("resource.count: Invalid value: 2: field is immutable");
    expect(patch({ resource: { labelSelector: { matchLabels: { other: "x" } } } }).stderr).toContain(
      "field is immutable",
    );
    expect(patch({ inference: { preset: { name: "phi-3-mini-128k-instruct" } } }).stderr).toMatch(
      /inference\.preset: Invalid value: .*field is immutable/,
    );
    expect(patch({ inference: null, ...tuning }).stderr).toContain("Inference field cannot be toggled once set");

    const adapters = patch({ inference: { adapters: [{ source: { name: "fresh", image: "r.example.com/a:1" } }] } });
    expect(adapters.stderr).toBe("");
    expect(kubectl(["get", "wk", name, "-n", inferenceNs.name, "-o", "jsonpath={.resource.instanceType}"]).stdout).toBe(
      "Standard_NC6s_v3",
    );
  });

  it("serves an object written as v1alpha1 as v1beta1 and the other way round", async () => {
    const { custom } = kubeApis();
    const group = "kaito.sh";
    const plural = "workspaces";
    const namespace = inferenceNs.name;
    const written = parse(readFileSync(path.join(examples, "kaito_workspace_phi_3_with_adapters.yaml"), "utf8"));
    written.metadata.name = "from-alpha";
    await custom.createNamespacedCustomObject({ group, version: "v1alpha1", namespace, plural, body: written });
    const asBeta = await custom.getNamespacedCustomObject({
      group,
      version: "v1beta1",
      namespace,
      plural,
      name: "from-alpha",
    });
    expect(asBeta.apiVersion).toBe("kaito.sh/v1beta1");
    expect(asBeta.inference).toMatchObject(written.inference);
    expect(asBeta.inference.preset.accessMode).toBe("public");
    expect(asBeta.resource).toMatchObject(written.resource);

    await custom.createNamespacedCustomObject({
      group,
      version: "v1beta1",
      namespace,
      plural,
      body: workspace("v1beta1", "from-beta", inference),
    });
    const asAlpha = await custom.getNamespacedCustomObject({
      group,
      version: "v1alpha1",
      namespace,
      plural,
      name: "from-beta",
    });
    expect(asAlpha.apiVersion).toBe("kaito.sh/v1alpha1");
    expect(asAlpha.resource.instanceType).toBe("Standard_NC6s_v3");
    expect(asAlpha.inference.preset.name).toBe("phi-3-mini-4k-instruct");
  });
});
