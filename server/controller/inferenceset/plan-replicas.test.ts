import { describe, expect, it } from "vitest";

import type { Workspace } from "@/server/kube/types/workspace";

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

    it("deletes nothing while a replacement is in flight, not even an outdated child that turned NotReady", () => {
      // slot 0 was replaced (its successor, slot 3, is not Ready yet); slot 1 flaps NotReady for a moment.
      const children = [
        existingChild(v2, 3, at(9)),
        existingChild(v1, 1, at(2)),
        existingChild(v1, 2, at(3), { ready: true }),
      ];
      expect(planReplicas(v2, children).remove).toEqual([]);

      // Held back by nodeCountLimit, the successor does not exist yet: the terminating child is the one in flight.
      const limited = { ...v2, spec: { ...v2.spec, nodeCountLimit: 3 } };
      const draining = [
        existingChild(v1, 0, at(1), { ready: true, deleting: true }),
        existingChild(v1, 1, at(2)),
        existingChild(v1, 2, at(3), { ready: true }),
      ];
      expect(planReplicas(limited, draining).remove).toEqual([]);
    });

    it("spends the budget on outdated children that are not Ready before Ready ones", () => {
      const two = { ...v2, spec: { ...v2.spec, updateStrategy: { rollingUpdate: { maxUnavailable: 2 } } } };
      const children = [
        existingChild(v1, 0, at(1), { ready: true }),
        existingChild(v1, 1, at(2)),
        existingChild(v2, 2, at(3), { ready: true }),
      ];
      expect(planReplicas(two, children).remove.map(replicaIndex)).toEqual([1]);
    });

    it("repairs a set whose old template never became Ready, maxUnavailable children at a time", () => {
      const broken = [0, 1, 2].map((i) => existingChild(v1, i, at(i + 1)));
      expect(planReplicas(v2, broken).remove.map(replicaIndex)).toEqual([0]);
      // Its replacement is in flight and not Ready: the other broken children wait for it.
      const next = [existingChild(v2, 3, at(9)), ...broken.slice(1)];
      expect(planReplicas(v2, next).remove).toEqual([]);
      // A current child that is not Ready (the new template fails too) stops the rollout.
      const failing = [existingChild(v2, 3, at(9)), existingChild(v1, 1, at(2), { ready: true })];
      expect(planReplicas({ ...v2, spec: { ...v2.spec, replicas: 2 } }, failing).remove).toEqual([]);
    });

    it("rolls a set that nodeCountLimit holds below replicas, against the replicas it can reach", () => {
      const limited = { ...v2, spec: { ...v2.spec, replicas: 3, nodeCountLimit: 2 } };
      const children = [0, 1].map((i) => existingChild(v1, i, at(i + 1), { ready: true }));
      expect(planReplicas(limited, children).remove.map(replicaIndex)).toEqual([0]);
    });

    // Plays a whole rollout one cluster event at a time, with an outdated Ready child flapping
    // NotReady while the first replacement is in flight: apart from the flapping child, no more
    // than maxUnavailable children are ever not Ready or missing.
    it.each([
      { name: "no node limit, old child gone first", replicas: 3, max: 1, goneFirst: true },
      { name: "no node limit, new child Ready first", replicas: 3, max: 1, goneFirst: false },
      { name: "nodeCountLimit = replicas", replicas: 3, max: 1, goneFirst: true, nodeCountLimit: 3 },
      { name: "maxUnavailable 2 of 4", replicas: 4, max: 2, goneFirst: false },
    ])("keeps the rollout within maxUnavailable from start to end ($name)", (c) => {
      const spec = {
        replicas: c.replicas,
        nodeCountLimit: c.nodeCountLimit,
        updateStrategy: { rollingUpdate: { maxUnavailable: c.max } },
      };
      const set = { ...v2, spec: { ...v2.spec, ...spec } };
      const ready = (ws: Workspace) => !!ws.status?.conditions?.length;
      const setReady = (ws: Workspace, value: boolean) =>
        (ws.status = existingChild(set, 0, at(0), { ready: value }).status);
      let children = Array.from({ length: c.replicas }, (_, i) =>
        existingChild({ ...v1, spec: { ...v1.spec, ...spec } }, i, at(i), { ready: true }),
      );
      const flapping = new Set<string>();
      let flapped = false;
      let made = 0;
      for (let step = 0; step < 200; step++) {
        const plan = planReplicas(set, children);
        const removed = new Set(plan.remove.map((ws) => ws.metadata.uid));
        children = children.map((ws) =>
          removed.has(ws.metadata.uid) ? { ...ws, metadata: { ...ws.metadata, deletionTimestamp: new Date() } } : ws,
        );
        for (const index of plan.create) {
          const child = existingChild(set, index, at(10 + made));
          children.push({ ...child, metadata: { ...child.metadata, uid: `new-${made++}` } });
        }
        const live = children.filter((ws) => !ws.metadata.deletionTimestamp);
        const excused = live.filter((ws) => flapping.has(ws.metadata.uid!) && !ready(ws)).length;
        expect(c.replicas - live.filter(ready).length - excused).toBeLessThanOrEqual(c.max);

        const terminating = children.find((ws) => ws.metadata.deletionTimestamp);
        const starting = live.find((ws) => !ready(ws) && !flapping.has(ws.metadata.uid!));
        const outdatedReady = live.find((ws) => ready(ws) && ws.metadata.uid!.startsWith("child-"));
        if (!flapped && (terminating || starting) && outdatedReady) {
          flapped = true;
          flapping.add(outdatedReady.metadata.uid!);
          setReady(outdatedReady, false);
        } else if (terminating && (c.goneFirst || !starting)) children = children.filter((ws) => ws !== terminating);
        else if (starting) setReady(starting, true);
        else if (flapping.size) {
          for (const ws of live) if (flapping.has(ws.metadata.uid!)) setReady(ws, true);
          flapping.clear();
        } else break;
      }
      expect(children).toHaveLength(c.replicas);
      expect(children.every((ws) => ws.metadata.uid!.startsWith("new-") && ready(ws))).toBe(true);
      expect(made).toBe(c.replicas);
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
