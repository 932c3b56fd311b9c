import { readFileSync } from "node:fs";
import path from "node:path";

import { describe, expect, it } from "vitest";
import { parse } from "yaml";

import { CRD_DIR, CRD_FILES, renderCrdFile, workspaceCrd } from "./render-crds";

type Version = {
  name: string;
  served: boolean;
  storage: boolean;
  additionalPrinterColumns: { name: string }[];
  schema: { openAPIV3Schema: { properties: Record<string, { properties?: Record<string, unknown> }> } };
};

describe("CRDs in charts/kaito-dashboard/crds", () => {
  it.each(Object.entries(CRD_FILES))("%s matches render-crds.ts (run it after editing)", (file, render) => {
    expect(readFileSync(path.join(CRD_DIR, file), "utf8")).toBe(renderCrdFile(render));
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
});
