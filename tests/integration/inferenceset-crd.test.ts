// The InferenceSet CRD from charts/kaito-dashboard/files/crds on the real apiserver: upstream's documents
// apply unchanged in either version, kubectl shows upstream's columns under both short names, the
// replicas rule holds, and the scale subresource answers.
import path from "node:path";

import { describe, expect, it } from "vitest";

import { kubectl, useTestNamespace } from "../support/cluster";

const fixtures = path.resolve(import.meta.dirname, "../fixtures/inferenceset");
const ns = useTestNamespace("is-crd");

const minimal = (name: string, spec: Record<string, unknown>) =>
  JSON.stringify({
    apiVersion: "kaito.sh/v1beta1",
    kind: "InferenceSet",
    metadata: { name },
    spec: {
      labelSelector: { matchLabels: { apps: name } },
      template: { resource: { instanceType: "Standard_NC24ads_A100_v4" }, inference: { preset: { name: "phi-4" } } },
      ...spec,
    },
  });

describe("InferenceSet CRD", () => {
  it("accepts upstream's v1alpha1 documents unchanged and lists them with upstream's columns", () => {
    for (const file of ["phi-4-mini-set.yaml", "mistral-7b-instruct.yaml"]) {
      const applied = kubectl(["apply", "-n", ns.name, "-f", path.join(fixtures, file)]);
      expect(applied.stderr).toBe("");
      expect(applied.status).toBe(0);
    }
    for (const shortName of ["is", "isets", "inferencesets"]) {
      const listed = kubectl(["get", shortName, "-n", ns.name]);
      expect(listed.status).toBe(0);
      const [header, ...rows] = listed.stdout.trimEnd().split("\n");
      expect(header.split(/\s+/)).toEqual(["NAME", "REPLICAS", "READYREPLICAS", "AGE"]);
      expect(rows.map((r) => r.split(/\s+/).slice(0, 2))).toEqual([
        ["mistral-7b-instruct", "1"],
        ["phi-4-mini-set", "2"],
      ]);
    }
  });

  it("stores v1beta1 with upstream's defaults and serves the object in both versions", () => {
    const beta = JSON.parse(
      kubectl(["get", "inferencesets.v1beta1.kaito.sh", "phi-4-mini-set", "-n", ns.name, "-o", "json"]).stdout,
    );
    expect(beta.apiVersion).toBe("kaito.sh/v1beta1");
    expect(beta.spec.updateStrategy).toEqual({ type: "RollingUpdate", rollingUpdate: { maxUnavailable: 1 } });
    expect(beta.spec.template.inference.preset).toEqual({ accessMode: "public", name: "phi-4-mini-instruct" });
    const alpha = JSON.parse(
      kubectl(["get", "inferencesets.v1alpha1.kaito.sh", "phi-4-mini-set", "-n", ns.name, "-o", "json"]).stdout,
    );
    expect(alpha.apiVersion).toBe("kaito.sh/v1alpha1");
    expect(alpha.spec.nodeCountLimit).toBe(5);
  });

  it("defaults replicas to 1 and refuses a negative count", () => {
    expect(kubectl(["apply", "-n", ns.name, "-f", "-"], minimal("defaulted", {})).status).toBe(0);
    expect(kubectl(["get", "is", "defaulted", "-n", ns.name, "-o", "jsonpath={.spec.replicas}"]).stdout).toBe("1");
    const refused = kubectl(["apply", "-n", ns.name, "-f", "-"], minimal("negative", { replicas: -1 }));
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toContain("spec.replicas");
    expect(refused.stderr).toContain("should be greater than or equal to 0");
  });

  it("lets kubectl scale the set through its scale subresource", () => {
    const scaled = kubectl(["scale", "is/defaulted", "-n", ns.name, "--replicas=3"]);
    expect(scaled.stderr).toBe("");
    expect(scaled.stdout).toContain("scaled");
    const scale = JSON.parse(
      kubectl(["get", "is", "defaulted", "-n", ns.name, "--subresource=scale", "-o", "json"]).stdout,
    );
    expect(scale.kind).toBe("Scale");
    expect(scale.spec.replicas).toBe(3);
  });

  // Upstream's controller acts on autoUpgrade only behind its enableBaseImageAutoUpgrade feature
  // gate (docs/inferencesets.md); the field must still round-trip with upstream's defaults.
  it("keeps spec.autoUpgrade with upstream's defaults and refuses what upstream's schema refuses", () => {
    const upgrading = minimal("upgrading", {
      autoUpgrade: { enabled: true, maintenanceWindow: { schedule: "0 2 * * 6" } },
    });
    expect(kubectl(["apply", "-n", ns.name, "-f", "-"], upgrading).status).toBe(0);
    const stored = JSON.parse(kubectl(["get", "is", "upgrading", "-n", ns.name, "-o", "json"]).stdout);
    expect(stored.spec.autoUpgrade).toEqual({
      enabled: true,
      strategy: "InPlace",
      maintenanceWindow: { schedule: "0 2 * * 6", duration: "4h" },
    });
    const unknownStrategy = kubectl(
      ["apply", "-n", ns.name, "-f", "-"],
      minimal("blue-green", { autoUpgrade: { enabled: true, strategy: "BlueGreen" } }),
    );
    expect(unknownStrategy.status).not.toBe(0);
    expect(unknownStrategy.stderr).toContain("spec.autoUpgrade.strategy");
    const noSchedule = kubectl(
      ["apply", "-n", ns.name, "-f", "-"],
      minimal("no-schedule", { autoUpgrade: { enabled: true, maintenanceWindow: { duration: "2h" } } }),
    );
    expect(noSchedule.status).not.toBe(0);
    expect(noSchedule.stderr).toContain("spec.autoUpgrade.maintenanceWindow.schedule");
  });
});
