import { readFileSync } from "node:fs";

import { describe, expect, it } from "vitest";
import { parse } from "yaml";

import { CRD_FILES, crdPath, inferenceSetCrd, renderCrdFile, workspaceCrd } from "./render-crds";

type Version = {
  name: string;
  served: boolean;
  storage: boolean;
  additionalPrinterColumns: { name: string }[];
  schema: { openAPIV3Schema: { properties: Record<string, { properties?: Record<string, unknown> }> } };
};

describe("CRDs in charts/kaito-dashboard", () => {
  it.each(Object.entries(CRD_FILES))("%s matches render-crds.ts (run it after editing)", (file, render) => {
    expect(readFileSync(crdPath(file), "utf8")).toBe(renderCrdFile(render));
  });

  it("serves v1alpha1 and stores v1beta1, with the extra v1beta1 fields and columns only there", () => {
    const crd = parse(renderCrdFile(workspaceCrd)) as { spec: { versions: Version[] } };
    const [alpha, beta] = crd.spec.versions;
    expect([alpha.name, alpha.served, alpha.storage]).toEqual(["v1alpha1", true, false]);
    expect([beta.name, beta.served, beta.storage]).toEqual(["v1beta1", true, true]);
    const columns = (v: Version) => v.additionalPrinterColumns.map((c) => c.name);
    expect(columns(beta)).toEqual([...columns(alpha).slice(0, -1), "TargetNodeCount", "State", "Age"]);
    expect(alpha.schema.openAPIV3Schema.properties.spec).toBeUndefined();
    expect(Object.keys(alpha.schema.openAPIV3Schema.properties.status.properties!)).not.toContain("state");
    expect(Object.keys(beta.schema.openAPIV3Schema.properties.status.properties!)).toContain("state");
  });

  it("InferenceSet: upstream's names, versions, columns, scale subresource and replicas rule", () => {
    type SetVersion = Version & {
      subresources: { scale: Record<string, string> };
      schema: { openAPIV3Schema: { properties: { spec: { properties: Record<string, Record<string, unknown>> } } } };
    };
    const crd = parse(renderCrdFile(inferenceSetCrd)) as {
      metadata: { name: string };
      spec: { names: { shortNames: string[]; kind: string }; versions: SetVersion[] };
    };
    expect(crd.metadata.name).toBe("inferencesets.kaito.sh");
    expect(crd.spec.names.shortNames).toEqual(["is", "isets"]);
    const [alpha, beta] = crd.spec.versions;
    expect([alpha.name, alpha.served, alpha.storage]).toEqual(["v1alpha1", true, false]);
    expect([beta.name, beta.served, beta.storage]).toEqual(["v1beta1", true, true]);
    for (const v of [alpha, beta]) {
      expect(v.additionalPrinterColumns.map((c) => c.name)).toEqual(["Replicas", "ReadyReplicas", "Age"]);
      expect(v.subresources.scale).toEqual({
        specReplicasPath: ".spec.replicas",
        statusReplicasPath: ".status.replicas",
        labelSelectorPath: ".status.selector",
      });
      const spec = v.schema.openAPIV3Schema.properties.spec.properties;
      expect(spec.replicas).toMatchObject({ default: 1, minimum: 0 });
      expect(Object.keys(spec)).toEqual(
        expect.arrayContaining([
          "template",
          "replicas",
          "nodeCountLimit",
          "labelSelector",
          "updateStrategy",
          "autoUpgrade",
        ]),
      );
    }
  });
});
