import { describe, expect, it } from "vitest";

import { RateLimiter } from "./rate-limiter";

describe("RateLimiter", () => {
  it("allows a burst of the per-minute budget per user, then says how long to wait", () => {
    let now = 0;
    const limiter = new RateLimiter(3, () => now);
    expect([limiter.take("a"), limiter.take("a"), limiter.take("a")]).toEqual([0, 0, 0]);
    expect(limiter.take("a")).toBe(20);
    expect(limiter.take("b")).toBe(0);
    now += 20_000;
    expect(limiter.take("a")).toBe(0);
  });

  it("is off at 0", () => {
    const limiter = new RateLimiter(0);
    for (let i = 0; i < 100; i++) expect(limiter.take("a")).toBe(0);
  });
});
