import "server-only";

/**
 * A setting read on the proxy's hot path: loaded once, then served from memory and re-read in the
 * background once it is older than `ttlMs`, so no request waits on the database after the first.
 * A failed re-read keeps the last value (the first failure falls back to `fallback`).
 */
export function cacheSetting<T>(
  load: () => Promise<T>,
  fallback: T,
  ttlMs: number,
  log: (message: string, error: unknown) => void,
  now: () => number = Date.now,
): () => T | Promise<T> {
  let value: { current: T } | null = null;
  let loadedAt = 0;
  let loading: Promise<T> | null = null;
  const refresh = () =>
    (loading ??= load()
      .catch((err) => {
        log("could not read the setting; keeping the previous value", err);
        return value ? value.current : fallback;
      })
      .then((next) => {
        value = { current: next };
        loadedAt = now();
        loading = null;
        return next;
      }));
  return () => {
    if (!value) return refresh();
    if (now() - loadedAt >= ttlMs) void refresh();
    return value.current;
  };
}
