import { describe, expect, it } from "vitest";

import type { AuditAction, AuditEventInput } from "./audit-event";
import { AnonymousRefusals } from "./anonymous-refusals";

const refusal = (ip: string | null, action: AuditAction = "workspace.create"): AuditEventInput => ({
  action,
  outcome: "denied",
  summary: "Not signed in",
  actor: null,
  context: { ip },
});

describe("AnonymousRefusals", () => {
  it("writes the first refusal of a minute, then one event with the count, then one per minute", async () => {
    let now = 0;
    const written: AuditEventInput[] = [];
    const refusals = new AnonymousRefusals(
      async (event) => {
        written.push(event);
        return { id: BigInt(written.length) };
      },
      () => now,
    );

    expect(await refusals.record(refusal("198.51.100.1"))).toEqual({ id: 1n });
    for (let i = 0; i < 499; i++)
      await refusals.record(refusal("198.51.100.1", i % 2 ? "adapter.upload" : "user.create"));
    expect(await refusals.record(refusal("203.0.113.5"))).toEqual({ id: 2n });
    expect(written).toHaveLength(2);

    now = 60_000;
    await refusals.flush(now);
    expect(written).toHaveLength(3);
    expect(written[2]).toMatchObject({
      action: "anonymous.refused",
      diff: { count: 499, actions: { "user.create": 250, "adapter.upload": 249 } },
      context: { ip: "198.51.100.1" },
    });

    // The flood goes on: from now on exactly one event per minute for that source.
    for (let i = 0; i < 300; i++) await refusals.record(refusal("198.51.100.1"));
    now = 120_000;
    await refusals.flush(now);
    expect(written.slice(3).map((e) => [e.action, (e.diff as { count: number }).count])).toEqual([
      ["anonymous.refused", 300],
    ]);

    // A quiet minute later, a lone refusal is written at once again.
    now = 400_000;
    await refusals.flush(now);
    await refusals.record(refusal("198.51.100.1"));
    expect(written.at(-1)).toMatchObject({ action: "workspace.create", summary: "Not signed in" });
    await refusals.flush(now, true);
  });
});
