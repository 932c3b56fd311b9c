import { describe, expect, it } from "vitest";

import { lineOfPath, parseYamlWithPositions } from "./locate-yaml-path";

const doc = parseYamlWithPositions(
  [
    "apiVersion: kaito.sh/v1beta1",
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
    expect(lineOfPath(doc, "resource.instanceType")).toBe(3);
    expect(lineOfPath(doc, "inference.adapters.0.source.name")).toBe(7);
  });

  it("points at the deepest existing parent of a missing field, where the user has to add it", () => {
    expect(lineOfPath(doc, "resource.labelSelector.matchLabels")).toBe(2);
    expect(lineOfPath(doc, "")).toBe(1);
  });
});
