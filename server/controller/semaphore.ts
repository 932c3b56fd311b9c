import "server-only";

export type Semaphore = { run<T>(work: () => Promise<T>): Promise<T> };

/** At most `limit` of the works run at once; the others wait in arrival order. */
export function createSemaphore(limit: number): Semaphore {
  let inFlight = 0;
  const waiting: (() => void)[] = [];
  return {
    async run(work) {
      if (inFlight >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
      inFlight++;
      try {
        return await work();
      } finally {
        inFlight--;
        waiting.shift()?.();
      }
    },
  };
}
