import { describe, expect, it } from "vitest";

import { summarizeUsage } from "./summarize-usage";

const at = (iso: string) => new Date(`2026-01-01T${iso}Z`);

describe("summarizeUsage", () => {
  it("buckets requests, tokens and latency percentiles per hour", () => {
    const rows = [
      {
        occurredAt: at("10:05:00"),
        status: 200,
        promptTokens: 10,
        completionTokens: 100,
        ttftMs: 20,
        durationMs: 1000,
      },
      { occurredAt: at("10:40:00"), status: 200, promptTokens: 5, completionTokens: 50, ttftMs: 40, durationMs: 600 },
      {
        occurredAt: at("10:50:00"),
        status: 502,
        promptTokens: null,
        completionTokens: null,
        ttftMs: null,
        durationMs: 5,
      },
      { occurredAt: at("11:10:00"), status: 499, promptTokens: null, completionTokens: 3, ttftMs: 30, durationMs: 90 },
    ];
    const usage = summarizeUsage(rows, at("10:00:00"), at("12:00:00"), 60);
    expect(usage.buckets).toHaveLength(2);
    expect(usage.buckets[0]).toMatchObject({
      requests: 3,
      errors: 1,
      promptTokens: 15,
      completionTokens: 150,
      ttftP50: 20,
      ttftP95: 40,
      durationP50: 600,
    });
    expect(usage.buckets[1]).toMatchObject({ requests: 1, errors: 0, completionTokens: 3 });
    expect(usage.totals).toEqual({ requests: 4, errors: 1, completionTokens: 153 });
  });
});
