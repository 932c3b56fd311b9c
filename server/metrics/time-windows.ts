import "server-only";

/**
 * The views' time windows: how far back, the step between points (≈60–170 points per chart),
 * and the range of rate() and histogram_quantile() — at least a minute, so that a 15 s or 30 s
 * scrape interval always gives rate() two samples.
 */
export const TIME_WINDOWS = {
  "15m": { seconds: 15 * 60, step: 15, rate: "1m" },
  "1h": { seconds: 60 * 60, step: 60, rate: "2m" },
  "24h": { seconds: 24 * 60 * 60, step: 600, rate: "20m" },
  "7d": { seconds: 7 * 24 * 60 * 60, step: 3600, rate: "2h" },
} as const;

export type TimeWindow = keyof typeof TIME_WINDOWS;
export const TIME_WINDOW_NAMES = Object.keys(TIME_WINDOWS) as TimeWindow[];

/** The range ending now. */
export function windowRange(window: TimeWindow, nowMs: number): { start: number; end: number; step: number } {
  const { seconds, step } = TIME_WINDOWS[window];
  const end = Math.floor(nowMs / 1000);
  return { start: end - seconds, end, step };
}
