import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { createWorkQueue, type WorkQueueOptions } from "./work-queue";

// Fake timers: the queue's backoff and the handlers' work take exact, simulated time, so the
// tests neither sleep nor depend on how busy the machine is.
beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const elapse = (ms: number) => vi.advanceTimersByTimeAsync(ms);

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
        await sleep(20);
        running--;
      },
      { concurrency: 4 },
    );
    q.add("a");
    await elapse(5);
    q.add("a");
    q.add("a");
    await elapse(100);
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
        await sleep(20);
        running--;
      },
      { concurrency: 3 },
    );
    for (const k of ["a", "b", "c", "d", "e"]) q.add(k);
    await elapse(100);
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
    await elapse(200);
    expect(attempts).toHaveLength(3);
    // baseDelayMs × 2^(failures − 1): 10 ms after the first failure, 20 ms after the second.
    expect([attempts[1] - attempts[0], attempts[2] - attempts[1]]).toEqual([10, 20]);
    await q.shutDown();
  });
});

/** A queue whose first key, "busy", holds its only worker until release(), so others pile up. */
function gatedQueue(options: WorkQueueOptions) {
  const order: string[] = [];
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const q = createWorkQueue(async (key) => {
    if (key === "busy") await gate;
    order.push(key);
  }, options);
  q.add("busy");
  return { q, order, release };
}

describe("createWorkQueue priorities", () => {
  it("runs high-priority keys before low-priority ones queued earlier, and promotes a low key", async () => {
    const { q, order, release } = gatedQueue({ concurrency: 1, highRun: 100 });
    for (const k of ["new-1", "new-2", "new-3"]) q.add(k, "low");
    q.add("progress-1");
    q.add("new-3");
    q.add("progress-2", "high");
    expect(q.depth()).toBe(5);
    release();
    await q.idle();
    expect(order).toEqual(["busy", "progress-1", "new-3", "progress-2", "new-1", "new-2"]);
  });

  it("does not demote a key already queued with high priority", async () => {
    const { q, order, release } = gatedQueue({ concurrency: 1, highRun: 100 });
    q.add("a", "low");
    q.add("b");
    q.add("b", "low");
    release();
    await q.idle();
    expect(order).toEqual(["busy", "b", "a"]);
  });

  it("alternates between the lanes when both wait (the default)", async () => {
    const { q, order, release } = gatedQueue({ concurrency: 1 });
    for (let i = 0; i < 3; i++) q.add(`new-${i}`, "low");
    for (let i = 0; i < 3; i++) q.add(`hot-${i}`);
    release();
    await q.idle();
    // "busy" was the first high-priority pick of the round, so a new key comes next.
    expect(order).toEqual(["busy", "new-0", "hot-0", "new-1", "hot-1", "new-2", "hot-2"]);
  });
});
