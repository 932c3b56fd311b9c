import "server-only";

export type WorkResult = { requeueAfterMs?: number } | void;

export type WorkQueueOptions = {
  concurrency: number;
  /** Failure backoff per key: baseMs × 2^failures, capped. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  onDepthChange?: (depth: number) => void;
};

export type WorkQueue = {
  add(key: string): void;
  addAfter(key: string, delayMs: number): void;
  depth(): number;
  /** Resolves when nothing is queued or running (tests and the benchmark use it). */
  idle(): Promise<void>;
  shutDown(): Promise<void>;
};

/**
 * A rate-limited work queue in the shape of client-go's: a key is queued at most once, never
 * processed by two workers at the same time (an add while it runs marks it dirty and it runs
 * again afterwards), failures back off exponentially per key, and `concurrency` workers drain it.
 */
export function createWorkQueue(handler: (key: string) => Promise<WorkResult>, options: WorkQueueOptions): WorkQueue {
  const base = options.baseDelayMs ?? 200;
  const max = options.maxDelayMs ?? 60_000;
  const queue: string[] = [];
  const queued = new Set<string>();
  const running = new Set<string>();
  const dirty = new Set<string>();
  const failures = new Map<string, number>();
  const timers = new Map<string, NodeJS.Timeout>();
  let active = 0;
  let stopped = false;
  let idleWaiters: (() => void)[] = [];

  const report = () => options.onDepthChange?.(queue.length);

  function checkIdle() {
    if (queue.length === 0 && active === 0) {
      for (const w of idleWaiters) w();
      idleWaiters = [];
    }
  }

  function add(key: string) {
    if (stopped) return;
    if (running.has(key)) {
      dirty.add(key);
      return;
    }
    if (queued.has(key)) return;
    queued.add(key);
    queue.push(key);
    report();
    pump();
  }

  function addAfter(key: string, delayMs: number) {
    if (stopped) return;
    const existing = timers.get(key);
    if (existing) clearTimeout(existing);
    const timer = setTimeout(() => {
      timers.delete(key);
      add(key);
    }, delayMs);
    timer.unref();
    timers.set(key, timer);
  }

  function pump() {
    while (!stopped && active < options.concurrency && queue.length) {
      const key = queue.shift()!;
      queued.delete(key);
      running.add(key);
      active++;
      report();
      void run(key);
    }
  }

  async function run(key: string) {
    let retryAfter: number | undefined;
    try {
      const result = await handler(key);
      failures.delete(key);
      if (result && result.requeueAfterMs !== undefined) retryAfter = result.requeueAfterMs;
    } catch {
      const n = (failures.get(key) ?? 0) + 1;
      failures.set(key, n);
      retryAfter = Math.min(max, base * 2 ** (n - 1));
    } finally {
      running.delete(key);
      active--;
    }
    if (dirty.delete(key)) add(key);
    else if (retryAfter !== undefined) addAfter(key, retryAfter);
    pump();
    checkIdle();
  }

  return {
    add,
    addAfter,
    depth: () => queue.length,
    idle: () =>
      new Promise<void>((resolve) => {
        idleWaiters.push(resolve);
        checkIdle();
      }),
    async shutDown() {
      stopped = true;
      for (const t of timers.values()) clearTimeout(t);
      timers.clear();
      queue.length = 0;
      queued.clear();
      while (active > 0) await new Promise((r) => setTimeout(r, 20));
    },
  };
}
