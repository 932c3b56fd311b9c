import { describe, expect, it } from "vitest";

import { RateLimiter } from "./rate-limiter";

describe("RateLimiter", () => {
  it("refuses hits over the limit within a window and allows them again in the next", () => {
    const limiter = new RateLimiter(2, 1000);
    expect(limiter.hit("a", 0)).toBe(true);
    expect(limiter.hit("a", 10)).toBe(true);
    expect(limiter.hit("a", 20)).toBe(false);
    expect(limiter.hit("b", 20)).toBe(true);
    expect(limiter.hit("a", 1000)).toBe(true);
  });
});
