/**
 * vLLM runs a bounded number of sequences at once and queues the rest; the double does the same
 * per workspace and answers 429 once the queue is full, which is what the proxy has to map.
 */
export class RequestQueue {
  running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    private readonly maxRunning: number,
    private readonly maxWaiting: number,
  ) {}

  get waitingCount(): number {
    return this.waiting.length;
  }

  /** Resolves with a release function once a slot is free; null means "queue full". */
  acquire(signal: AbortSignal): Promise<(() => void) | null> {
    if (this.running < this.maxRunning) {
      this.running++;
      return Promise.resolve(this.releaser());
    }
    if (this.waiting.length >= this.maxWaiting) return Promise.resolve(null);
    return new Promise((resolve) => {
      const start = () => {
        signal.removeEventListener("abort", cancel);
        this.running++;
        resolve(this.releaser());
      };
      const cancel = () => {
        const at = this.waiting.indexOf(start);
        if (at !== -1) this.waiting.splice(at, 1);
        resolve(() => {});
      };
      signal.addEventListener("abort", cancel, { once: true });
      this.waiting.push(start);
    });
  }

  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.running--;
      this.waiting.shift()?.();
    };
  }
}
