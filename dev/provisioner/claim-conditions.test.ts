import { describe, expect, it } from "vitest";

import { withCondition } from "./claim-conditions";

describe("withCondition", () => {
  const t0 = new Date("2026-01-01T00:00:00Z");
  const t1 = new Date("2026-01-01T00:00:05Z");

  it("moves lastTransitionTime only when the status changes", () => {
    const first = withCondition(undefined, { type: "Ready", status: "Unknown", reason: "NotRegistered" }, t0);
    const same = withCondition(first, { type: "Ready", status: "Unknown", reason: "Other" }, t1);
    expect(same).toEqual([{ type: "Ready", status: "Unknown", reason: "Other", lastTransitionTime: t0.toISOString() }]);
    const changed = withCondition(same, { type: "Ready", status: "True", reason: "Ready" }, t1);
    expect(changed[0].lastTransitionTime).toBe(t1.toISOString());
  });

  it("keeps the other conditions in place", () => {
    const launched = withCondition(undefined, { type: "Launched", status: "True" }, t0);
    const both = withCondition(launched, { type: "Registered", status: "True" }, t1);
    expect(both.map((c) => c.type)).toEqual(["Launched", "Registered"]);
  });
});
