import { describe, expect, it } from "vitest";

import { renderInferenceStatefulSet } from "../render-inference-statefulset";
import { DEFAULT_RENDER_OPTIONS } from "../render-options";
import { childName, isChildOf, renderChildWorkspace, templateHash } from "./render-child-workspace";
import { fixtureSet } from "./testing";

describe("renderChildWorkspace", () => {
  const set = fixtureSet("phi-4-mini-set.yaml");

  it("renders the child the way upstream's controller wrote phi-4-mini-set's children", () => {
    const ws = renderChildWorkspace(set, 0);
    expect(ws.apiVersion).toBe("kaito.sh/v1beta1");
    expect(ws.kind).toBe("Workspace");
    expect(ws.metadata.name).toMatch(/^phi-4-mini-set-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    expect(ws.metadata.namespace).toBe("team-a");
    expect(ws.metadata.labels).toEqual({ "inferenceset.kaito.sh/created-by": "phi-4-mini-set" });
    expect(ws.metadata.annotations).toMatchObject({ "kaito.sh/disable-benchmark": "true" });
    expect(ws.metadata.ownerReferences).toEqual([
      {
        apiVersion: "kaito.sh/v1beta1",
        kind: "InferenceSet",
        name: "phi-4-mini-set",
        uid: "09b61ba2-5ad3-4b60-8570-5149abaa0d46",
        controller: true,
        blockOwnerDeletion: true,
      },
    ]);
    expect(ws.resource).toEqual({
      instanceType: "Standard_NC24ads_A100_v4",
      labelSelector: { matchLabels: { apps: "phi-4-mini-set" } },
    });
    expect(ws.inference).toEqual({ preset: { accessMode: "public", name: "phi-4-mini-instruct" } });
    expect(isChildOf(ws, set)).toBe(true);
  });

  it("names each slot the same way every time, differently per slot, per set uid and per spec generation", () => {
    expect(childName(set, 3)).toBe(childName(set, 3));
    // A replacement made after a template change (or a scale down and up) never takes its predecessor's name.
    const changed = { ...set, metadata: { ...set.metadata, generation: 2 } };
    expect(childName(changed, 3)).not.toBe(childName(set, 3));
    const names = new Set(Array.from({ length: 200 }, (_, i) => childName(set, i)));
    expect(names.size).toBe(200);
    const recreated = fixtureSet("phi-4-mini-set.yaml", (s) => (s.metadata.uid = "another-uid"));
    expect(childName(recreated, 0)).not.toBe(childName(set, 0));
    expect(isChildOf(renderChildWorkspace(set, 0), recreated)).toBe(false);
  });

  it("keeps names within 63 characters for a long set name", () => {
    const long = fixtureSet("phi-4-mini-set.yaml", (s) => (s.metadata.name = "a".repeat(63)));
    expect(childName(long, 0)).toHaveLength(63);
  });

  it("copies the template's labels and annotations and the benchmark opt-out of the set itself", () => {
    const labelled = fixtureSet("mistral-7b-instruct.yaml", (s) => {
      s.metadata.annotations = { ...s.metadata.annotations, "kaito.sh/disable-benchmark": "true" };
      s.spec.template.metadata = { labels: { team: "search" }, annotations: { "kaito.sh/runtime": "vllm" } };
    });
    const ws = renderChildWorkspace(labelled, 1);
    expect(ws.metadata.labels).toEqual({ team: "search", "inferenceset.kaito.sh/created-by": "mistral-7b-instruct" });
    expect(ws.metadata.annotations).toEqual({
      "kaito.sh/runtime": "vllm",
      "kaito.sh/disable-benchmark": "true",
      "kaito-dashboard.dev/replica-index": "1",
      "kaito-dashboard.dev/template-hash": templateHash(labelled),
    });
    // The KEDA annotations belong to the set, not to its children.
    expect(Object.keys(ws.metadata.annotations ?? {}).some((k) => k.startsWith("scaledobject.kaito.sh/"))).toBe(false);
  });
});

describe("a child's workload", () => {
  it("labels the pods and selects them with the set's label too, as upstream's StatefulSet does", () => {
    const child = renderChildWorkspace(fixtureSet("phi-4-mini-set.yaml"), 0);
    const sts = renderInferenceStatefulSet(child, DEFAULT_RENDER_OPTIONS);
    const expected = {
      "inferenceset.kaito.sh/created-by": "phi-4-mini-set",
      "kaito.sh/workspace": child.metadata.name,
    };
    expect(sts.spec?.selector.matchLabels).toEqual(expected);
    expect(sts.spec?.template.metadata?.labels).toEqual(expected);
  });

  it("keeps the set's selector and, on its own NodeClaims' nodes, pins the pods as upstream's StatefulSet does", () => {
    const child = renderChildWorkspace(fixtureSet("phi-4-mini-set.yaml"), 0);
    child.metadata.namespace = "team-a";
    expect(child.resource?.labelSelector).toEqual({ matchLabels: { apps: "phi-4-mini-set" } });
    const terms = (ownNodesOnly: boolean) =>
      renderInferenceStatefulSet(child, DEFAULT_RENDER_OPTIONS, ownNodesOnly).spec?.template.spec?.affinity
        ?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
    expect(terms(true)).toEqual([
      {
        matchExpressions: [
          { key: "apps", operator: "In", values: ["phi-4-mini-set"] },
          { key: "kaito.sh/workspace", operator: "In", values: [child.metadata.name] },
          { key: "kaito.sh/workspacenamespace", operator: "In", values: ["team-a"] },
        ],
      },
    ]);
    // On reused nodes (preferredNodes, BYO) nothing of the Workspace's own is required.
    expect(terms(false)).toEqual([{ matchExpressions: [{ key: "apps", operator: "In", values: ["phi-4-mini-set"] }] }]);
  });
});
