import { describe, expect, it } from "vitest";

import { createSemaphore } from "./semaphore";

describe("createSemaphore", () => {
  it("runs at most `limit` works at once and the rest in arrival order", async () => {
    const slots = createSemaphore(2);
    const releases: (() => void)[] = [];
    const started: number[] = [];
    const works = [0, 1, 2, 3].map((i) =>
      slots.run(async () => {
        started.push(i);
        await new Promise<void>((resolve) => releases.push(resolve));
        return i;
      }),
    );
    await Promise.resolve();
    expect(started).toEqual([0, 1]);
    releases.shift()!();
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).toEqual([0, 1, 2]);
    while (releases.length) {
      releases.shift()!();
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(await Promise.all(works)).toEqual([0, 1, 2, 3]);
  });

  it("frees the slot when a work fails", async () => {
    const slots = createSemaphore(1);
    await expect(slots.run(() => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    expect(await slots.run(async () => "next")).toBe("next");
  });
});
