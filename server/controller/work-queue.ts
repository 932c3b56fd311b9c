import "server-only";

export type WorkResult = { requeueAfterMs?: number; priority?: Priority } | void;

export type WorkQueueOptions = {
  concurrency: number;
  /** Failure backoff per key: baseMs × 2^failures, capped. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  onDepthChange?: (depth: number) => void;
  /** Picks per round when both lanes wait: highRun − 1 high-priority keys, then one low (default 2). */
  highRun?: number;
};

/**
 * "high" (the default): a change to something the key already works on (an object it owns, its
 * own status). "low": a key seen for the first time (initial list, a new Workspace) or a periodic
 * resync. Like controller-runtime's priority queue, low-priority keys wait while high-priority
 * ones exist, so Workspaces already in progress finish one after another instead of every
 * Workspace advancing one step at a time behind all the others.
 */
export type Priority = "high" | "low";

export type WorkQueue = {
  add(key: string, priority?: Priority): void;
  addAfter(key: string, delayMs: number, priority?: Priority): void;
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
  // Two FIFO lanes; `queued` says which lane a key is in. A key promoted from low to high stays
  // behind in the low array as a stale entry and is skipped when it reaches the front.
  const lanes: Record<Priority, string[]> = { high: [], low: [] };
  const queued = new Map<string, Priority>();
  const depth = () => queued.size;
  const running = new Set<string>();
  const dirty = new Set<string>();
  const failures = new Map<string, number>();
  const timers = new Map<string, NodeJS.Timeout>();
  let active = 0;
  let stopped = false;
  let idleWaiters: (() => void)[] = [];

  const report = () => options.onDepthChange?.(depth());

  function checkIdle() {
    if (depth() === 0 && active === 0) {
      for (const w of idleWaiters) w();
      idleWaiters = [];
    }
  }

  function add(key: string, priority: Priority = "high") {
    if (stopped) return;
    if (running.has(key)) {
      // The re-run after the current one is a continuation of work in progress.
      dirty.add(key);
      return;
    }
    const current = queued.get(key);
    if (current === "high" || current === priority) return;
    queued.set(key, priority);
    lanes[priority].push(key);
    report();
    pump();
  }

  // When both lanes wait, every highRun-th pick goes to the low lane: a steady stream of changes
  // to running Workspaces slows the intake of new ones but never stops it. Strict priority
  // throttled intake at 1,000 Workspaces: the high lane is never empty, and the pipeline behind
  // the controller (provisioner, scheduler, kubelets) ran dry.
  const HIGH_RUN = options.highRun ?? 2;
  let highPicks = 0;

  function take(priority: Priority): string | undefined {
    const lane = lanes[priority];
    while (lane.length) {
      const key = lane.shift()!;
      if (queued.get(key) === priority) return key;
    }
    return undefined;
  }

  function next(): string | undefined {
    if (highPicks >= HIGH_RUN - 1) {
      highPicks = 0;
      const key = take("low");
      if (key !== undefined) return key;
    }
    const key = take("high");
    if (key !== undefined) {
      highPicks++;
      return key;
    }
    highPicks = 0;
    return take("low");
  }

  function addAfter(key: string, delayMs: number, priority: Priority = "high") {
    if (stopped) return;
    const existing = timers.get(key);
    if (existing) clearTimeout(existing);
    const timer = setTimeout(() => {
      timers.delete(key);
      add(key, priority);
    }, delayMs);
    timer.unref();
    timers.set(key, timer);
  }

  function pump() {
    while (!stopped && active < options.concurrency && depth()) {
      const key = next();
      if (key === undefined) break;
      queued.delete(key);
      running.add(key);
      active++;
      report();
      void run(key);
    }
  }

  async function run(key: string) {
    let retryAfter: number | undefined;
    let retryPriority: Priority = "high";
    try {
      const result = await handler(key);
      failures.delete(key);
      if (result && result.requeueAfterMs !== undefined) {
        retryAfter = result.requeueAfterMs;
        retryPriority = result.priority ?? "high";
      }
    } catch {
      const n = (failures.get(key) ?? 0) + 1;
      failures.set(key, n);
      retryAfter = Math.min(max, base * 2 ** (n - 1));
    } finally {
      running.delete(key);
      active--;
    }
    if (dirty.delete(key)) add(key);
    else if (retryAfter !== undefined) addAfter(key, retryAfter, retryPriority);
    pump();
    checkIdle();
  }

  return {
    add,
    addAfter,
    depth,
    idle: () =>
      new Promise<void>((resolve) => {
        idleWaiters.push(resolve);
        checkIdle();
      }),
    async shutDown() {
      stopped = true;
      for (const t of timers.values()) clearTimeout(t);
      timers.clear();
      lanes.high.length = 0;
      lanes.low.length = 0;
      queued.clear();
      while (active > 0) await new Promise((r) => setTimeout(r, 20));
    },
  };
}
