import "server-only";

import type { AuditEventInput } from "./audit-event";

const WINDOW_MS = 60_000;
/** Beyond this many addresses in one minute, the rest share one bucket: memory stays bounded. */
const MAX_SOURCES = 10_000;
const OTHER = "other addresses";

type Bucket = { start: number; count: number; actions: Record<string, number>; ip: string | null };

export type WriteEvent = (event: AuditEventInput) => Promise<{ id: bigint }>;

/**
 * Refused requests from callers who did not sign in, recorded in aggregate so that nobody can
 * grow the audit trail without bound without an account: per source address and minute, the
 * first refusal is written as it happens (a lone one — an expired session — is then visible at
 * once) and any further ones become a single `anonymous.refused` event with their count when the
 * minute ends. A source that keeps refusing minute after minute gets just that one event per
 * minute. Counts live in this process until written, so a crash loses at most a minute of them.
 */
export class AnonymousRefusals {
  private buckets = new Map<string, Bucket>();
  /**
   * Sources whose last minute ended with aggregated refusals, and when it ended: a refusal in
   * the minute right after is counted too, so a steady flood is one event per minute.
   */
  private noisy = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly write: WriteEvent,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts one refusal; returns the event id when this one was written at once. */
  async record(event: AuditEventInput): Promise<{ id: bigint | null }> {
    const now = this.now();
    await this.flush(now);
    const ip = event.context?.ip ?? null;
    let source = ip ?? "unknown";
    if (!this.buckets.has(source) && this.buckets.size >= MAX_SOURCES) source = OTHER;
    const bucket = this.buckets.get(source);
    if (bucket) {
      bucket.count++;
      bucket.actions[event.action] = (bucket.actions[event.action] ?? 0) + 1;
      return { id: null };
    }
    const quiet = now - (this.noisy.get(source) ?? -Infinity) < WINDOW_MS || source === OTHER;
    this.buckets.set(source, {
      start: now,
      count: quiet ? 1 : 0,
      actions: quiet ? { [event.action]: 1 } : {},
      ip: source === OTHER ? null : ip,
    });
    this.timer ??= setInterval(() => void this.flush(this.now()).catch(logFailure), WINDOW_MS / 4).unref();
    return quiet ? { id: null } : this.write(event);
  }

  /** Writes the count of every minute that has ended (all of them with `everything`, at shutdown). */
  async flush(now: number, everything = false): Promise<void> {
    const ended = [...this.buckets].filter(([, b]) => everything || now - b.start >= WINDOW_MS);
    for (const [source, end] of this.noisy) if (now - end >= WINDOW_MS) this.noisy.delete(source);
    for (const [source, bucket] of ended) {
      this.buckets.delete(source);
      if (bucket.count === 0) continue;
      this.noisy.set(source, bucket.start + WINDOW_MS);
      const from = new Date(bucket.start);
      await this.write({
        action: "anonymous.refused",
        outcome: "denied",
        summary: `${bucket.count} more refused request(s) without sign-in from ${source} in the minute from ${from.toISOString()}`,
        actor: null,
        diff: { count: bucket.count, actions: bucket.actions },
        context: { ip: bucket.ip },
        occurredAt: from,
      });
    }
    if (this.buckets.size === 0 && this.timer) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }
}

function logFailure(error: unknown): void {
  console.error("could not record refused anonymous requests", error);
}

/** A refusal of someone who gave no identity at all: no user and no email to attribute it to. */
export function isAnonymousRefusal(event: AuditEventInput): boolean {
  return event.outcome === "denied" && !event.actor?.userId && !event.actor?.email;
}
