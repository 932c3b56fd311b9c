"use client";

import { useCallback, useMemo, useRef, useState } from "react";

import type { FieldIssues } from "./workspace-issues";
import { readDraft, setDraftValue, type DraftObject, type DraftPath } from "./workspace-draft";

export type SetDraftValue = (path: DraftPath, value: unknown) => void;

/**
 * The YAML text is the one source of truth; the form reads it as an object and writes single
 * fields back into it. While the text has a syntax error the form keeps the last good object.
 */
export function useDraftYaml(initial: () => string) {
  const [yaml, setYaml] = useState(initial);
  const lastGood = useRef<DraftObject>({});
  const { object, syntaxError } = useMemo(() => readDraft(yaml), [yaml]);
  if (object) lastGood.current = object;
  const draft = object ?? lastGood.current;
  const set: SetDraftValue = useCallback(
    (path, value) => setYaml((current) => setDraftValue(current, path, value)),
    [],
  );
  return { yaml, setYaml, draft, syntaxError, set };
}

/**
 * What every section of the workspace form gets: the draft to read, a setter, its problems, and
 * on the edit page why a field cannot change (it is then shown read-only with that reason).
 */
export type DraftSectionProps = {
  draft: DraftObject;
  set: SetDraftValue;
  issues: FieldIssues;
  lockedReason?: (path: string) => string | undefined;
};
