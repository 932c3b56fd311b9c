import { describe, expect, it } from "vitest";

import { diffRows } from "./diff-rows";

describe("diffRows", () => {
  it("lists only the changed fields of before/after objects, nested by path", () => {
    const rows = diffRows({
      before: { role: "viewer", spec: { count: 1, sku: "a" } },
      after: { role: "operator", spec: { count: 2, sku: "a" } },
    });
    expect(rows).toEqual([
      { field: "role", before: "viewer", after: "operator" },
      { field: "spec.count", before: 1, after: 2 },
    ]);
  });

  it("reads field maps and shows created objects as additions", () => {
    expect(diffRows({ lockedUntil: [null, "2026-01-01"] })).toEqual([
      { field: "lockedUntil", before: null, after: "2026-01-01" },
    ]);
    expect(diffRows({ after: { email: "a@b" } })).toEqual([{ field: "email", before: undefined, after: "a@b" }]);
  });

  it("gives up on shapes it does not know", () => {
    expect(diffRows("text")).toBeNull();
    expect(diffRows({ weird: 1 })).toBeNull();
  });
});
