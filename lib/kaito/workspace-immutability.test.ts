import { describe, expect, it } from "vitest";

import { editableWorkspace, immutableChanges, lockedReason, sameValue } from "./workspace-immutability";

const live = {
  apiVersion: "kaito.sh/v1beta1",
  kind: "Workspace",
  metadata: {
    name: "phi",
    namespace: "team",
    resourceVersion: "42",
    annotations: { "kubectl.kubernetes.io/last-applied-configuration": "{}", "kaito.sh/runtime": "vllm" },
  },
  resource: { count: 1, instanceType: "Standard_NC6s_v3", labelSelector: { matchLabels: { apps: "phi" } } },
  inference: { preset: { name: "phi-3-mini-4k-instruct" } },
  status: { conditions: [] },
};

describe("workspace immutability", () => {
  const base = editableWorkspace(live);

  it("leaves status, the resourceVersion and kubectl's last-applied copy out of the editable document", () => {
    expect(base).not.toHaveProperty("status");
    expect(base.metadata).toEqual({ name: "phi", namespace: "team", annotations: { "kaito.sh/runtime": "vllm" } });
  });

  it("allows adapters, config, preferred nodes and annotations to change", () => {
    const after = structuredClone(base);
    after.inference = { ...after.inference, config: "cfg", adapters: [{ source: { name: "a", image: "r/a:1" } }] };
    after.resource = { ...after.resource, preferredNodes: ["node-1"] };
    after.metadata.annotations = { "kaito.sh/runtime": "transformers" };
    expect(immutableChanges(base, after)).toEqual([]);
  });

  it("names each field the CRD forbids changing", () => {
    const after = structuredClone(base);
    after.resource = { ...after.resource, instanceType: "Standard_NC24ads_A100_v4", count: 2 };
    after.inference = { preset: { name: "phi-4" } };
    after.metadata.name = "other";
    expect(immutableChanges(base, after).map((f) => f.path)).toEqual([
      "metadata.name",
      "resource.count",
      "resource.instanceType",
      "inference.preset",
    ]);
  });

  it("treats a left-out count as the CRD's default of 1, and key order as no change", () => {
    const after = structuredClone(base);
    after.resource = { labelSelector: { matchLabels: { apps: "phi" } }, instanceType: "Standard_NC6s_v3" };
    expect(immutableChanges(base, after)).toEqual([]);
    expect(sameValue({ a: 1, b: [1, { c: 2, d: 3 }] }, { b: [1, { d: 3, c: 2 }], a: 1 })).toBe(true);
  });

  it("refuses toggling inference to tuning", () => {
    const after = structuredClone(base);
    delete after.inference;
    after.tuning = { preset: { name: "phi-3-mini-4k-instruct" }, method: "qlora" };
    expect(immutableChanges(base, after).map((f) => f.path)).toEqual(["inference", "tuning"]);
  });

  it("gives the reason for a field inside a locked one", () => {
    expect(lockedReason("inference.preset.presetOptions.modelAccessSecret")).toMatch(/immutable/);
    expect(lockedReason("inference.config")).toBeUndefined();
    expect(lockedReason("resource.preferredNodes")).toBeUndefined();
  });
});
