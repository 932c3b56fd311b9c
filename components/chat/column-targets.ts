import type { ChatColumn } from "./chat-types";

export type TargetFix = {
  columns: ChatColumn[];
  /** Set when the Workspace the page was opened for (`?workspace=`) cannot be chatted with. */
  unavailable: string | null;
};

const keyOf = (t: { namespace: string; name: string }) => `${t.namespace}/${t.name}`;

/**
 * Keeps every column pointed at a Workspace that is ready for inference. The Workspace the page
 * was opened for goes into the first column; without one, the first ready Workspace is offered.
 * When the requested one is not ready the first column stays empty and the caller says so:
 * quietly chatting with another model is how users ended up talking to the wrong one (#16).
 */
export function fixColumnTargets(
  columns: ChatColumn[],
  ready: { namespace: string; name: string }[],
  requested: string | null,
  /** False once the page was opened for a Workspace: an empty first column then stays empty. */
  autoPick = true,
): TargetFix {
  const keys = new Set(ready.map(keyOf));
  const requestedReady = requested !== null && keys.has(requested);
  const fixed = columns.map((column, i) => {
    if (i === 0 && requested !== null) {
      if (!requestedReady) return column.target ? { ...column, target: null } : column;
      if (column.target && keyOf(column.target) === requested) return column;
      const [namespace, name] = requested.split("/");
      return { ...column, target: { namespace, name, model: "" } };
    }
    if (column.target && !keys.has(keyOf(column.target))) return { ...column, target: null };
    if (i === 0 && !column.target && ready.length && autoPick)
      return { ...column, target: { namespace: ready[0].namespace, name: ready[0].name, model: "" } };
    return column;
  });
  return { columns: fixed, unavailable: requested !== null && !requestedReady ? requested : null };
}
