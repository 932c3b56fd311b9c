export type DiffRow = { field: string; before: unknown; after: unknown };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * Flattens an audit diff into changed fields. Understands the two shapes the app writes —
 * `{ before, after }` objects and `{ field: [old, new] }` maps — and returns null for anything
 * else, which the drawer then shows as raw JSON.
 */
export function diffRows(diff: unknown): DiffRow[] | null {
  if (!isObject(diff)) return null;
  if ("before" in diff || "after" in diff) {
    const before = isObject(diff.before) ? diff.before : {};
    const after = isObject(diff.after) ? diff.after : {};
    const rows: DiffRow[] = [];
    walk(before, after, "", rows);
    return rows;
  }
  const entries = Object.entries(diff);
  if (entries.length > 0 && entries.every(([, v]) => Array.isArray(v) && v.length === 2)) {
    return entries.map(([field, v]) => ({ field, before: (v as unknown[])[0], after: (v as unknown[])[1] }));
  }
  return null;
}

function walk(before: Record<string, unknown>, after: Record<string, unknown>, prefix: string, rows: DiffRow[]): void {
  for (const key of [...new Set([...Object.keys(before), ...Object.keys(after)])].sort()) {
    const a = before[key];
    const b = after[key];
    const field = prefix ? `${prefix}.${key}` : key;
    if (isObject(a) && isObject(b)) walk(a, b, field, rows);
    else if (JSON.stringify(a) !== JSON.stringify(b)) rows.push({ field, before: a, after: b });
  }
}
