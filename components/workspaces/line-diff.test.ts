import { describe, expect, it } from "vitest";

import { lineDiff } from "./line-diff";

describe("lineDiff", () => {
  it("marks a changed line as removed then added, and keeps the rest", () => {
    expect(lineDiff("a\nb\nc\n", "a\nB\nc\n")).toEqual([
      { kind: "same", text: "a" },
      { kind: "removed", text: "b" },
      { kind: "added", text: "B" },
      { kind: "same", text: "c" },
    ]);
  });

  it("shows an inserted block as added lines only", () => {
    const diff = lineDiff("a\nc", "a\nb1\nb2\nc");
    expect(diff.filter((l) => l.kind !== "same")).toEqual([
      { kind: "added", text: "b1" },
      { kind: "added", text: "b2" },
    ]);
  });

  it("finds nothing to show for the same text", () => {
    expect(lineDiff("x\ny\n", "x\ny\n").every((l) => l.kind === "same")).toBe(true);
  });
});
