import { describe, expect, it, vi } from "vitest";

import { cacheSetting } from "./cache-setting";

describe("cacheSetting", () => {
  it("loads once, serves from memory, and re-reads in the background after the TTL", async () => {
    let stored = false;
    let clock = 0;
    const load = vi.fn(async () => stored);
    const get = cacheSetting(
      load,
      true,
      5_000,
      () => undefined,
      () => clock,
    );

    expect(await get()).toBe(false);
    stored = true;
    clock = 4_999;
    expect(get()).toBe(false);
    expect(load).toHaveBeenCalledTimes(1);

    clock = 5_000;
    expect(get()).toBe(false); // answered from memory while the re-read runs
    await Promise.resolve();
    await Promise.resolve();
    expect(get()).toBe(true);
    expect(load).toHaveBeenCalledTimes(2);
  });

  it("falls back to the default when the first read fails, and keeps the last value on later failures", async () => {
    let clock = 0;
    const load = vi.fn().mockRejectedValueOnce(new Error("db down")).mockResolvedValueOnce(true);
    const get = cacheSetting(
      load,
      false,
      1_000,
      () => undefined,
      () => clock,
    );
    expect(await get()).toBe(false);
    clock = 1_000;
    get();
    await new Promise((r) => setTimeout(r, 0));
    expect(get()).toBe(true);
    load.mockRejectedValueOnce(new Error("db down again"));
    clock = 2_000;
    get();
    await new Promise((r) => setTimeout(r, 0));
    expect(get()).toBe(true);
  });
});
