import { describe, expect, it } from "vitest";

import { computeInferenceSetStatus } from "./compute-inferenceset-status";
import { planReplicas } from "./plan-replicas";
import { existingChild, fixtureSet } from "./testing";

const NOW = "2026-12-06T09:00:00Z";

describe("computeInferenceSetStatus", () => {
  it("writes what upstream wrote for phi-4-mini-set with both children ready", () => {
    const set = fixtureSet("phi-4-mini-set.yaml");
    const children = [0, 1].map((i) => existingChild(set, i, NOW, { ready: true }));
    const status = computeInferenceSetStatus({ set, plan: planReplicas(set, children), now: NOW });
    expect(status).toMatchObject({
      replicas: 2,
      readyReplicas: 2,
      selector: "inferenceset.kaito.sh/created-by=phi-4-mini-set",
    });
    expect(status.conditions?.find((c) => c.type === "InferenceSetReady")).toEqual({
      type: "InferenceSetReady",
      status: "True",
      reason: "inferencesetReady",
      message: "inferenceset is ready",
      lastTransitionTime: NOW,
      observedGeneration: 1,
    });
  });

  it("says how many replicas are ready while some are not, with upstream's reason", () => {
    const set = fixtureSet("phi-4-mini-set.yaml");
    const children = [existingChild(set, 0, NOW, { ready: true }), existingChild(set, 1, NOW)];
    const status = computeInferenceSetStatus({ set, plan: planReplicas(set, children), now: NOW });
    expect(status.readyReplicas).toBe(1);
    expect(status.conditions?.find((c) => c.type === "InferenceSetReady")).toMatchObject({
      status: "False",
      reason: "inferencesetNotReady",
      message: "inferenceset is not ready, 1/2 replicas are ready",
    });
  });

  it("explains a nodeCountLimit below replicas × nodes per replica", () => {
    const set = fixtureSet("phi-4-mini-set.yaml", (s) => {
      s.spec.replicas = 3;
      s.spec.nodeCountLimit = 2;
    });
    const status = computeInferenceSetStatus({ set, plan: planReplicas(set, []), now: NOW });
    expect(status.conditions?.find((c) => c.type === "NodeCountLimitReached")).toMatchObject({
      status: "True",
      reason: "NodeCountLimitExceeded",
      message:
        "3 replicas of 1 node(s) each would need 3 nodes, more than nodeCountLimit 2: the set stops at 2 replicas",
    });
  });

  it("keeps lastTransitionTime and condition order when nothing changed", () => {
    const set = fixtureSet("phi-4-mini-set.yaml");
    const first = computeInferenceSetStatus({ set, plan: planReplicas(set, []), now: NOW });
    const again = computeInferenceSetStatus({
      set: { ...set, status: first },
      plan: planReplicas(set, []),
      now: "2026-12-06T10:00:00Z",
    });
    expect(again).toEqual(first);
  });
});
