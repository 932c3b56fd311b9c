import { describe, expect, it } from "vitest";

import { createWorkQueue } from "./work-queue";

const tick = (ms = 5) => new Promise((r) => setTimeout(r, ms));

describe("createWorkQueue", () => {
  it("never runs one key twice at once and re-runs it once when it changed meanwhile", async () => {
    let running = 0;
    let maxParallel = 0;
    let runs = 0;
    const q = createWorkQueue(
      async () => {
        running++;
        runs++;
        maxParallel = Math.max(maxParallel, running);
        await tick(20);
        running--;
      },
      { concurrency: 4 },
    );
    q.add("a");
    await tick();
    q.add("a");
    q.add("a");
    await tick(100);
    await q.idle();
    expect(maxParallel).toBe(1);
    expect(runs).toBe(2);
  });

  it("works different keys in parallel up to the concurrency", async () => {
    let running = 0;
    let maxParallel = 0;
    const q = createWorkQueue(
      async () => {
        running++;
        maxParallel = Math.max(maxParallel, running);
        await tick(20);
        running--;
      },
      { concurrency: 3 },
    );
    for (const k of ["a", "b", "c", "d", "e"]) q.add(k);
    await tick(100);
    await q.idle();
    expect(maxParallel).toBe(3);
  });

  it("retries a failing key with backoff until it succeeds", async () => {
    const attempts: number[] = [];
    const q = createWorkQueue(
      async () => {
        attempts.push(Date.now());
        if (attempts.length < 3) throw new Error("apiserver unavailable");
      },
      { concurrency: 1, baseDelayMs: 10 },
    );
    q.add("a");
    await tick(200);
    expect(attempts).toHaveLength(3);
    expect(attempts[2] - attempts[1]).toBeGreaterThanOrEqual(attempts[1] - attempts[0]);
    await q.shutDown();
  });
});
