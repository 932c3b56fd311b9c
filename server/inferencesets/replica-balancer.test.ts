import { describe, expect, it } from "vitest";

import type { InferenceWorkspace } from "@/server/inference/inference-types";

import { createReplicaBalancer } from "./replica-balancer";

const child = (name: string, ready = true, set = "phi-4-mini-set"): InferenceWorkspace => ({
  metadata: { namespace: "team-a", name, labels: { "inferenceset.kaito.sh/created-by": set } },
  inference: { preset: { name: "phi-4-mini-instruct" } },
  status: { conditions: [{ type: "InferenceReady", status: ready ? "True" : "False" }] },
});

describe("createReplicaBalancer", () => {
  it("finds a set's children by the created-by label, in its namespace only", () => {
    const b = createReplicaBalancer();
    const other = { ...child("x"), metadata: { ...child("x").metadata, namespace: "team-b" } };
    const all = [child("a"), child("b"), child("c", true, "another-set"), other];
    expect(b.children(all, "team-a", "phi-4-mini-set").map((w) => w.metadata.name)).toEqual(["a", "b"]);
    expect(b.children(all, "team-a", "no-such-set")).toEqual([]);
  });

  it("offers only Ready children, the least loaded first", () => {
    const b = createReplicaBalancer();
    const children = [child("a"), child("b"), child("c", false)];
    b.begin("team-a", "a");
    b.begin("team-a", "a");
    const endB = b.begin("team-a", "b");
    expect(b.order(children)).toEqual(["b", "a"]);
    endB();
    endB();
    expect(b.order(children)[0]).toBe("b");
  });

  it("takes turns between equally loaded replicas", () => {
    const b = createReplicaBalancer();
    const children = [child("a"), child("b"), child("c")];
    const firsts = new Set(Array.from({ length: 3 }, () => b.order(children)[0]));
    expect(firsts).toEqual(new Set(["a", "b", "c"]));
  });

  it("passes over a replica that answered 429 until its Retry-After has passed", () => {
    let clock = 0;
    const b = createReplicaBalancer(() => clock);
    const children = [child("a"), child("b")];
    b.cool("team-a", "a", "2");
    for (let i = 0; i < 4; i++) expect(b.order(children)).toEqual(["b", "a"]);
    clock = 2_001;
    expect(new Set(Array.from({ length: 2 }, () => b.order(children)[0]))).toEqual(new Set(["a", "b"]));
  });
});
