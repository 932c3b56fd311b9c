import { describe, expect, it } from "vitest";

import { chatTargets, targetLabel } from "./chat-targets";

const ready = (namespace: string, name: string, inferenceSet: string | null = null) => ({
  namespace,
  name,
  preset: "phi-4-mini-instruct",
  adapters: [],
  inferenceSet,
});

describe("chatTargets", () => {
  it("offers a set once, with the count of its ready replicas, beside every ready workspace", () => {
    const targets = chatTargets([
      ready("team", "solo"),
      ready("team", "phi-set-bcdfg", "phi-set"),
      ready("team", "phi-set-hjklm", "phi-set"),
      ready("other", "phi-set-npqrs", "phi-set"),
    ]);
    expect(targets.map((t) => [t.kind, `${t.namespace}/${t.name}`, t.readyReplicas])).toEqual([
      ["InferenceSet", "other/phi-set", 1],
      ["InferenceSet", "team/phi-set", 2],
      ["Workspace", "team/solo", 1],
      ["Workspace", "team/phi-set-bcdfg", 1],
      ["Workspace", "team/phi-set-hjklm", 1],
      ["Workspace", "other/phi-set-npqrs", 1],
    ]);
    expect(targets.map(targetLabel).slice(0, 3)).toEqual([
      "other/phi-set (set, 1 ready replica)",
      "team/phi-set (set, 2 ready replicas)",
      "team/solo",
    ]);
  });

  it("leaves out a set whose name a workspace also has: the proxy would answer as the workspace", () => {
    const targets = chatTargets([ready("team", "phi"), ready("team", "phi-bcdfg", "phi")]);
    expect(targets.filter((t) => t.kind === "InferenceSet")).toEqual([]);
  });
});
