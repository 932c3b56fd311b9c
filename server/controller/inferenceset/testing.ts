import { readFileSync } from "node:fs";
import path from "node:path";

import { parse } from "yaml";

import type { InferenceSet } from "@/server/kube/types/inferenceset";
import type { Workspace } from "@/server/kube/types/workspace";

import { renderChildWorkspace } from "./render-child-workspace";

const FIXTURES = path.resolve(import.meta.dirname, "../../../tests/fixtures/inferenceset");

/** An upstream-shaped InferenceSet from tests/fixtures/inferenceset, as the apiserver would store it. */
export function fixtureSet(file: string, edit?: (set: InferenceSet) => void): InferenceSet {
  const set = parse(readFileSync(path.join(FIXTURES, file), "utf8")) as InferenceSet;
  set.metadata = { ...set.metadata, namespace: "team-a", uid: "09b61ba2-5ad3-4b60-8570-5149abaa0d46", generation: 1 };
  edit?.(set);
  return set;
}

/** The child of slot `index` as the cache would hold it once created at `createdAt`. */
export function existingChild(
  set: InferenceSet,
  index: number,
  createdAt: string,
  extra: { ready?: boolean; deleting?: boolean; targetNodeCount?: number } = {},
): Workspace {
  const ws = renderChildWorkspace(set, index);
  return {
    ...ws,
    metadata: {
      ...ws.metadata,
      uid: `child-${index}`,
      creationTimestamp: createdAt as unknown as Date,
      ...(extra.deleting ? { deletionTimestamp: new Date() } : {}),
    },
    status: {
      ...(extra.targetNodeCount ? { targetNodeCount: extra.targetNodeCount } : {}),
      conditions: extra.ready
        ? [
            {
              type: "WorkspaceSucceeded",
              status: "True",
              reason: "workspaceSucceeded",
              message: "workspace succeeds",
              lastTransitionTime: createdAt,
            },
          ]
        : [],
    },
  };
}
