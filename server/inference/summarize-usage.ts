import "server-only";

export type UsageRow = {
  occurredAt: Date;
  status: number;
  promptTokens: number | null;
  completionTokens: number | null;
  ttftMs: number | null;
  durationMs: number;
};

export type UsageBucket = {
  start: string;
  requests: number;
  errors: number;
  promptTokens: number;
  completionTokens: number;
  ttftP50: number | null;
  ttftP95: number | null;
  durationP50: number | null;
  durationP95: number | null;
};

export type WorkspaceUsage = {
  since: string;
  until: string;
  bucketMinutes: number;
  buckets: UsageBucket[];
  totals: { requests: number; errors: number; completionTokens: number };
};

function percentile(sorted: number[], q: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
}

/** Groups usage rows into fixed time buckets; 499 (caller went away) is not counted as an error. */
export function summarizeUsage(rows: UsageRow[], since: Date, until: Date, bucketMinutes: number): WorkspaceUsage {
  const size = bucketMinutes * 60_000;
  const first = Math.floor(since.getTime() / size) * size;
  const count = Math.max(1, Math.ceil((until.getTime() - first) / size));
  const groups = Array.from({ length: count }, () => [] as UsageRow[]);
  for (const row of rows) {
    const at = Math.floor((row.occurredAt.getTime() - first) / size);
    if (at >= 0 && at < count) groups[at].push(row);
  }
  const buckets = groups.map((group, i): UsageBucket => {
    const ttft = group.flatMap((r) => (r.ttftMs === null ? [] : [r.ttftMs])).sort((a, b) => a - b);
    const duration = group
      .filter((r) => r.status < 400)
      .map((r) => r.durationMs)
      .sort((a, b) => a - b);
    return {
      start: new Date(first + i * size).toISOString(),
      requests: group.length,
      errors: group.filter((r) => r.status >= 400 && r.status !== 499).length,
      promptTokens: group.reduce((sum, r) => sum + (r.promptTokens ?? 0), 0),
      completionTokens: group.reduce((sum, r) => sum + (r.completionTokens ?? 0), 0),
      ttftP50: percentile(ttft, 0.5),
      ttftP95: percentile(ttft, 0.95),
      durationP50: percentile(duration, 0.5),
      durationP95: percentile(duration, 0.95),
    };
  });
  return {
    since: since.toISOString(),
    until: until.toISOString(),
    bucketMinutes,
    buckets,
    totals: {
      requests: rows.length,
      errors: buckets.reduce((sum, b) => sum + b.errors, 0),
      completionTokens: buckets.reduce((sum, b) => sum + b.completionTokens, 0),
    },
  };
}
