import { describe, expect, it } from "vitest";

import { auditFilterSchema, auditWhere, filterQuery } from "./audit-filter";

describe("auditFilterSchema", () => {
  it("normalizes the actor, drops empty fields and keeps the rest for the URL", () => {
    const filter = auditFilterSchema.parse({
      actor: " Alice@Example.com ",
      action: "",
      outcome: "",
      q: "scale",
      from: "2026-01-01T00:00:00Z",
    });
    expect(filter).toMatchObject({
      actor: "alice@example.com",
      action: undefined,
      outcome: undefined,
      q: "scale",
      limit: 50,
    });
    expect(filterQuery(filter).toString()).toBe("actor=alice%40example.com&q=scale&from=2026-01-01T00%3A00%3A00.000Z");
  });

  it("turns a trailing * into a prefix match", () => {
    expect(auditWhere(auditFilterSchema.parse({ action: "workspace.*" }))).toEqual({
      AND: [{ action: { startsWith: "workspace." } }],
    });
  });

  it("lets a resource name match all its actions, and a full name itself", () => {
    expect(auditWhere(auditFilterSchema.parse({ action: "workspace" }))).toEqual({
      AND: [{ OR: [{ action: "workspace" }, { action: { startsWith: "workspace." } }] }],
    });
  });

  it("refuses malformed values with messages a person can act on", () => {
    const messages = (input: Record<string, unknown>) =>
      auditFilterSchema.safeParse(input).error?.issues.map((i) => i.message);
    expect(messages({ from: "2026-02-01", to: "2026-01-01" })).toEqual(["The time range ends before it starts"]);
    expect(messages({ outcome: "maybe" })?.length).toBe(1);
    expect(messages({ limit: 100000 })?.length).toBe(1);
    expect(messages({ actor: "a".repeat(321) })).toEqual(["Actor is longer than 320 characters"]);
  });
});
