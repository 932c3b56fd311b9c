import { describe, expect, it } from "vitest";

import { validateInferenceSetDocument } from "./validate-inferenceset-document";

// keda-kaito-scaler's README example, with a maximum and the form's update strategy.
const valid = `apiVersion: kaito.sh/v1beta1
kind: InferenceSet
metadata:
  name: phi-4
  namespace: default
  annotations:
    scaledobject.kaito.sh/auto-provision: "true"
    scaledobject.kaito.sh/max-replicas: "4"
    scaledobject.kaito.sh/metricName: "vllm:num_requests_waiting"
    scaledobject.kaito.sh/threshold: "10"
spec:
  replicas: 2
  nodeCountLimit: 5
  updateStrategy:
    type: RollingUpdate
    rollingUpdate:
      maxUnavailable: 1
  labelSelector:
    matchLabels:
      apps: phi-4
  template:
    resource:
      instanceType: Standard_NC24ads_A100_v4
    inference:
      preset:
        name: phi-4-mini-instruct
`;

const lineOf = (text: string, needle: string) => text.split("\n").findIndex((l) => l.includes(needle)) + 1;

describe("validateInferenceSetDocument", () => {
  it("accepts upstream's autoscaled set with no issues", () => {
    const result = validateInferenceSetDocument(valid);
    expect(result.issues).toEqual([]);
    expect(result.inferenceSet?.spec.replicas).toBe(2);
  });

  it("refuses a negative replica count at spec.replicas and its line", () => {
    const text = valid.replace("replicas: 2", "replicas: -1");
    const { issues } = validateInferenceSetDocument(text);
    expect(issues).toEqual([
      {
        path: "spec.replicas",
        message: "spec.replicas must be at least 0",
        severity: "error",
        line: lineOf(text, "replicas: -1"),
      },
    ]);
  });

  it("says every bad number at once, the schema's and the set's own, and survives unquoted annotations", () => {
    const text = valid
      .replace("replicas: 2", "replicas: -1")
      .replace("nodeCountLimit: 5", "nodeCountLimit: 0")
      .replace('threshold: "10"', "threshold: 10");
    expect(
      validateInferenceSetDocument(text)
        .issues.map((i) => i.path)
        .sort(),
    ).toEqual(["metadata.annotations.scaledobject.kaito.sh/threshold", "spec.nodeCountLimit", "spec.replicas"]);
  });

  it("refuses a node limit below one", () => {
    const text = valid.replace("nodeCountLimit: 5", "nodeCountLimit: 0");
    const { issues } = validateInferenceSetDocument(text);
    expect(issues).toMatchObject([
      { path: "spec.nodeCountLimit", severity: "error", line: lineOf(text, "nodeCountLimit") },
    ]);
    expect(issues[0].message).toContain("at least 1");
  });

  it("refuses a non-numeric threshold and a maximum below the replicas, each at its annotation's line", () => {
    const text = valid.replace('threshold: "10"', 'threshold: "ten"').replace('max-replicas: "4"', 'max-replicas: "1"');
    const { issues } = validateInferenceSetDocument(text);
    expect(issues).toEqual([
      {
        path: "metadata.annotations.scaledobject.kaito.sh/threshold",
        message: 'scaledobject.kaito.sh/threshold must be a non-negative integer, got "ten"',
        severity: "error",
        line: lineOf(text, "threshold"),
      },
      {
        path: "metadata.annotations.scaledobject.kaito.sh/max-replicas",
        message:
          "scaledobject.kaito.sh/max-replicas (1) is less than spec.replicas (2): the autoscaler would scale the set down at once",
        severity: "error",
        line: lineOf(text, "max-replicas"),
      },
    ]);
  });

  it("says what the worker would say when autoscaling has no upper bound", () => {
    const text = valid
      .replace('    scaledobject.kaito.sh/max-replicas: "4"\n', "")
      .replace("  nodeCountLimit: 5\n", "");
    const { issues } = validateInferenceSetDocument(text);
    expect(issues).toMatchObject([
      { path: "metadata.annotations.scaledobject.kaito.sh/max-replicas", severity: "error" },
    ]);
    expect(issues[0].message).toContain("autoscaling needs an upper bound");
  });

  it("checks maxUnavailable as Kubernetes does: at least 1, or a percentage", () => {
    const text = valid.replace("maxUnavailable: 1", "maxUnavailable: 0");
    expect(validateInferenceSetDocument(text).issues).toMatchObject([
      { path: "spec.updateStrategy.rollingUpdate.maxUnavailable", severity: "error" },
    ]);
    expect(validateInferenceSetDocument(valid.replace("maxUnavailable: 1", 'maxUnavailable: "25%"')).issues).toEqual(
      [],
    );
  });

  it("puts the template's catalog problems at the template's fields", () => {
    const text = valid
      .replace("Standard_NC24ads_A100_v4", "Standard_Nothing")
      .replace("apps: phi-4", "kaito.sh/workspace: x");
    const paths = validateInferenceSetDocument(text).issues.map((i) => i.path);
    expect(paths).toContain("spec.template.resource.instanceType");
    expect(paths).toContain("spec.labelSelector.matchLabels");
  });

  it("names the kind and versions it expects", () => {
    const { inferenceSet, issues } = validateInferenceSetDocument(
      valid.replace("kind: InferenceSet", "kind: Workspace"),
    );
    expect(inferenceSet).toBeNull();
    expect(issues[0].message).toBe("Expected kind InferenceSet with apiVersion kaito.sh/v1beta1 or kaito.sh/v1alpha1");
  });
});
