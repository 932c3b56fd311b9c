import { readFileSync } from "node:fs";
import path from "node:path";

import { describe, expect, it } from "vitest";

import { validateWorkspaceDocument } from "./validate-workspace-document";

const fixtureCrds = path.join(__dirname, "testdata");
const seed = (file: string) => readFileSync(path.resolve(__dirname, "../../examples", file), "utf8");

const valid = `apiVersion: kaito.sh/v1beta1
kind: Workspace
metadata:
  name: workspace-phi-3-mini
resource:
  instanceType: Standard_NC6s_v3
  labelSelector:
    matchLabels:
      apps: phi-3
inference:
  preset:
    name: phi-3-mini-4k-instruct
`;

describe("validateWorkspaceDocument", () => {
  it("accepts a correct Workspace with no issues", () => {
    const result = validateWorkspaceDocument(valid, fixtureCrds);
    expect(result.issues).toEqual([]);
    expect(result.workspace?.metadata.name).toBe("workspace-phi-3-mini");
  });

  it("puts a YAML syntax error at its line and returns no object", () => {
    const broken = valid.replace("  labelSelector:", "  labelSelector: [\n");
    const result = validateWorkspaceDocument(broken, fixtureCrds);
    expect(result.workspace).toBeNull();
    expect(result.issues[0].message).toMatch(/^YAML syntax/);
    expect(result.issues[0].line).toBeGreaterThanOrEqual(7);
  });

  it("rejects an unknown field the way kubectl's strict validation does, at the field's line", () => {
    const typo = valid.replace("  instanceType: Standard_NC6s_v3", "  instancetype: Standard_NC6s_v3");
    const result = validateWorkspaceDocument(typo, fixtureCrds);
    const issue = result.issues.find((i) => i.path === "resource.instancetype");
    expect(issue?.message).toBe('Unknown field "instancetype" in resource');
    expect(issue?.line).toBe(6);
  });

  it("reports a wrong type from the CRD schema at its line", () => {
    const result = validateWorkspaceDocument(valid.replace("resource:\n", "resource:\n  count: two\n"), fixtureCrds);
    expect(result.issues).toContainEqual(
      expect.objectContaining({ path: "resource.count", line: 6, message: "resource.count must be integer" }),
    );
  });

  it("places a missing required field at its parent", () => {
    const noSelector = valid.replace(/ {2}labelSelector:\n {4}matchLabels:\n {6}apps: phi-3\n/, "");
    const result = validateWorkspaceDocument(noSelector, fixtureCrds);
    expect(result.issues).toContainEqual(expect.objectContaining({ path: "resource.labelSelector", line: 5 }));
  });

  it("applies the catalog rules with Kaito's message, at the instance type's line", () => {
    const tooSmall = valid.replace("phi-3-mini-4k-instruct", "phi-4");
    const result = validateWorkspaceDocument(tooSmall, fixtureCrds);
    expect(result.issues).toContainEqual(
      expect.objectContaining({
        path: "resource.instanceType",
        line: 6,
        message:
          "Insufficient total GPU memory: Instance type Standard_NC6s_v3 has a total of 16Gi, but preset phi-4 requires at least 27.31Gi",
      }),
    );
  });

  it("refuses a selector of only Kaito's reserved keys with upstream's message, at the matchLabels line", () => {
    const reserved = valid.replace("      apps: phi-3", "      kaito.sh/workspace: someone-else");
    const result = validateWorkspaceDocument(reserved, fixtureCrds);
    expect(result.issues).toContainEqual(
      expect.objectContaining({
        path: "resource.labelSelector.matchLabels",
        line: 8,
        message: "matchLabels must contain at least one non-reserved label",
        severity: "error",
      }),
    );
  });

  it("refuses a document that is not a Workspace", () => {
    const result = validateWorkspaceDocument("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n", fixtureCrds);
    expect(result.workspace).toBeNull();
    expect(result.issues[0]).toMatchObject({ path: "apiVersion", line: 1 });
  });
});

describe("validateWorkspaceDocument against the chart's CRD", () => {
  it.each([
    "kaito_workspace_phi_3.yaml",
    "kaito_workspace_phi_3_with_adapters.yaml",
    "kaito_workspace_tuning_phi_3.yaml",
  ])("accepts the seed example %s without errors", (file) => {
    const result = validateWorkspaceDocument(seed(file));
    expect(result.issues.filter((i) => i.severity === "error")).toEqual([]);
  });
});
