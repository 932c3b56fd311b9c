import "server-only";

/**
 * client-node types timestamps as Date, but custom-object calls and watches hand back the raw
 * JSON strings; accept both and always give the browser ISO strings.
 */
export function isoTime(value: Date | string | undefined | null): string | null {
  if (!value) return null;
  return value instanceof Date ? value.toISOString() : value;
}
