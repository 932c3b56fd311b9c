import { describe, expect, it } from "vitest";

import { maxUnavailable, planReplicas } from "./plan-replicas";
import { childName, replicaIndex } from "./render-child-workspace";
import { existingChild, fixtureSet } from "./testing";

const at = (minute: number) => `2026-12-06T08:${String(minute).padStart(2, "0")}:00Z`;

describe("planReplicas", () => {
  it("creates the missing children in the lowest free slots", () => {
    const set = fixtureSet("phi-4-mini-set.yaml", (s) => (s.spec.replicas = 3));
    const plan = planReplicas(set, [existingChild(set, 1, at(1))]);
    expect(plan.create).toEqual([0, 2]);
    expect(plan.remove).toEqual([]);
  });

  it("defaults to one replica when spec.replicas is absent", () => {
    const set = fixtureSet("phi-4-mini-set.yaml", (s) => delete s.spec.replicas);
    expect(planReplicas(set, []).create).toEqual([0]);
  });

  it("removes the newest children first when scaling down", () => {
    const set = fixtureSet("phi-4-mini-set.yaml", (s) => (s.spec.replicas = 1));
    const children = [existingChild(set, 0, at(5)), existingChild(set, 1, at(1)), existingChild(set, 2, at(3))];
    const plan = planReplicas(set, children);
    expect(plan.remove.map((ws) => ws.metadata.name)).toEqual([childName(set, 0), childName(set, 2)]);
    expect(plan.create).toEqual([]);
  });

  it("scales to zero", () => {
    const set = fixtureSet("phi-4-mini-set.yaml", (s) => (s.spec.replicas = 0));
    const plan = planReplicas(set, [existingChild(set, 0, at(1)), existingChild(set, 1, at(2))]);
    expect(plan.remove).toHaveLength(2);
  });

  it("does not count a terminating child as live, nor reuse its slot while it exists", () => {
    const set = fixtureSet("phi-4-mini-set.yaml", (s) => (s.spec.replicas = 2));
    const plan = planReplicas(set, [existingChild(set, 0, at(1), { deleting: true }), existingChild(set, 1, at(2))]);
    expect(plan.live).toHaveLength(1);
    expect(plan.create).toEqual([2]);
  });

  it("skips a slot whose name someone else's Workspace holds", () => {
    const set = fixtureSet("phi-4-mini-set.yaml", (s) => (s.spec.replicas = 1));
    expect(planReplicas(set, [], new Set([childName(set, 0)])).create).toEqual([1]);
  });

  it("stops growing at nodeCountLimit, counting terminating children's nodes, and says by how much", () => {
    const set = fixtureSet("phi-4-mini-set.yaml", (s) => {
      s.spec.replicas = 4;
      s.spec.nodeCountLimit = 5;
    });
    const children = [existingChild(set, 0, at(1), { targetNodeCount: 2 })];
    const plan = planReplicas(set, children);
    expect(plan.create).toEqual([1]);
    expect(plan.limited).toEqual({ maxReplicas: 2, nodesPerReplica: 2, limit: 5 });

    const draining = planReplicas(set, [
      ...children,
      existingChild(set, 1, at(2), { deleting: true, targetNodeCount: 2 }),
    ]);
    expect(draining.create).toEqual([]);
  });

  it("reports no limit while the replicas fit", () => {
    const set = fixtureSet("phi-4-mini-set.yaml");
    const plan = planReplicas(set, []);
    expect(plan.create).toEqual([0, 1]);
    expect(plan.limited).toBeUndefined();
  });

  describe("rolling update", () => {
    const v1 = fixtureSet("phi-4-mini-set.yaml", (s) => (s.spec.replicas = 3));
    const v2 = fixtureSet("phi-4-mini-set.yaml", (s) => {
      s.spec.replicas = 3;
      s.spec.template.metadata = { annotations: { revision: "2" } };
    });

    it("replaces one outdated child at a time while all others are Ready, the oldest first", () => {
      const children = [0, 1, 2].map((i) => existingChild(v1, i, at(i + 1), { ready: true }));
      expect(planReplicas(v2, children).remove.map(replicaIndex)).toEqual([0]);
    });

    it("waits while a child is not Ready (maxUnavailable 1), and an outdated one that is not Ready goes first", () => {
      const waiting = [existingChild(v2, 3, at(9)), ...[1, 2].map((i) => existingChild(v1, i, at(i), { ready: true }))];
      expect(planReplicas(v2, waiting).remove).toEqual([]);
      const broken = [existingChild(v1, 0, at(1), { ready: true }), existingChild(v1, 1, at(2))];
      expect(planReplicas({ ...v2, spec: { ...v2.spec, replicas: 2 } }, broken).remove.map(replicaIndex)).toEqual([1]);
    });

    it("counts a replaced child that is still terminating as unavailable (nodeCountLimit holds its successor back)", () => {
      const limited = { ...v2, spec: { ...v2.spec, nodeCountLimit: 3 } };
      const children = [
        existingChild(v1, 0, at(1), { ready: true, deleting: true }),
        ...[1, 2].map((i) => existingChild(v1, i, at(i + 1), { ready: true })),
      ];
      const plan = planReplicas(limited, children);
      expect(plan.create).toEqual([]);
      expect(plan.remove).toEqual([]);
    });

    it("honours a larger maxUnavailable, a percentage, and OnDelete", () => {
      const children = [0, 1, 2].map((i) => existingChild(v1, i, at(i + 1), { ready: true }));
      const two = { ...v2, spec: { ...v2.spec, updateStrategy: { rollingUpdate: { maxUnavailable: 2 } } } };
      expect(planReplicas(two, children).remove).toHaveLength(2);
      expect(
        maxUnavailable(
          { ...v2, spec: { ...v2.spec, updateStrategy: { rollingUpdate: { maxUnavailable: "50%" } } } },
          4,
        ),
      ).toBe(2);
      expect(
        maxUnavailable(
          { ...v2, spec: { ...v2.spec, updateStrategy: { rollingUpdate: { maxUnavailable: "10%" } } } },
          4,
        ),
      ).toBe(1);
      const onDelete = { ...v2, spec: { ...v2.spec, updateStrategy: { type: "OnDelete" as const } } };
      expect(planReplicas(onDelete, children).remove).toEqual([]);
    });

    it("leaves children without a template hash (made before it existed) alone", () => {
      const legacy = [0, 1, 2].map((i) => {
        const c = existingChild(v1, i, at(i + 1), { ready: true });
        delete c.metadata.annotations!["kaito-dashboard.dev/template-hash"];
        return c;
      });
      expect(planReplicas(v2, legacy).remove).toEqual([]);
    });
  });
});
