import { describe, expect, it } from "vitest";

import { lineOfPath, parseYamlWithPositions } from "./locate-yaml-path";

const doc = parseYamlWithPositions(
  [
    "apiVersion: kaito.sh/v1beta1",
    "metadata:",
    "  annotations:",
    "    kaito.sh/runtime: vllm",
    "    scaledobject.kaito.sh/threshold: ten",
    "resource:",
    "  instanceType: x",
    "inference:",
    "  adapters:",
    "    - source:",
    "        name: a",
    "",
  ].join("\n"),
);

describe("lineOfPath", () => {
  it("finds the line of a nested key and of a list item's field", () => {
    expect(lineOfPath(doc, "resource.instanceType")).toBe(7);
    expect(lineOfPath(doc, "inference.adapters.0.source.name")).toBe(11);
  });

  it("finds an annotation whose key holds dots", () => {
    expect(lineOfPath(doc, "metadata.annotations.scaledobject.kaito.sh/threshold")).toBe(5);
    expect(lineOfPath(doc, "metadata.annotations.scaledobject.kaito.sh/max-replicas")).toBe(3);
  });

  it("points at the deepest existing parent of a missing field, where the user has to add it", () => {
    expect(lineOfPath(doc, "resource.labelSelector.matchLabels")).toBe(6);
    expect(lineOfPath(doc, "")).toBe(1);
  });
});
