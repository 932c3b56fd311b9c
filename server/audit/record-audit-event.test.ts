import { describe, expect, it } from "vitest";

import { auditEventValues } from "./record-audit-event";

describe("auditEventValues", () => {
  it("lays the event out in the insert's column order, clipping over-long text instead of failing", () => {
    const values = auditEventValues({
      action: "workspace.create",
      outcome: "succeeded",
      summary: "s".repeat(5000),
      actor: { userId: "0b5f2c1e-7a3d-4c2b-9e8f-1a2b3c4d5e6f", email: "alice@example.com", tokenId: "not-a-uuid" },
      target: { kind: "Workspace", namespace: "team-a", name: "phi" },
      diff: { replicas: [1, 2] },
      context: { requestId: "r1", ip: "10.0.0.1", userAgent: "u".repeat(600) },
    });
    expect(values).toHaveLength(14);
    expect(values[0]).toBeNull(); // no occurredAt: the database's now()
    expect(values.slice(1, 9)).toEqual([
      "0b5f2c1e-7a3d-4c2b-9e8f-1a2b3c4d5e6f",
      "alice@example.com",
      null, // a token id that is not a UUID is dropped, not written into a uuid column
      "workspace.create",
      "Workspace",
      "team-a",
      "phi",
      "succeeded",
    ]);
    expect((values[9] as string).length).toBe(2000);
    expect((values[9] as string).endsWith("…")).toBe(true);
    expect(values[10]).toBe('{"replicas":[1,2]}');
    expect((values[13] as string).length).toBe(512);
  });

  it("refuses an action that is not resource.verb", () => {
    // @ts-expect-error -- the type refuses it too; this checks the run-time guard behind it
    expect(() => auditEventValues({ action: "DROP TABLE", outcome: "failed", summary: "", actor: null })).toThrow(
      /resource\.verb/,
    );
  });
});
