import { describe, expect, it } from "vitest";

import { fixtureSet } from "@/server/controller/inferenceset/testing";

import { summarizeInferenceSet } from "./summarize-inferenceset";

const condition = (type: string, status: "True" | "False", reason: string, message: string) => ({
  type,
  status,
  reason,
  message,
  lastTransitionTime: "2026-12-06T09:00:00Z",
});

describe("summarizeInferenceSet", () => {
  it("shows upstream's phi-4 set as kubectl get is does, plus model and instance", () => {
    const set = fixtureSet("phi-4-mini-set.yaml", (s) => {
      s.status = {
        replicas: 2,
        readyReplicas: 2,
        conditions: [condition("InferenceSetReady", "True", "inferencesetReady", "inferenceset is ready")],
      };
    });
    expect(summarizeInferenceSet(set)).toMatchObject({
      key: "team-a/phi-4-mini-set",
      replicas: 2,
      currentReplicas: 2,
      readyReplicas: 2,
      model: "phi-4-mini-instruct",
      instanceType: "Standard_NC24ads_A100_v4",
      ready: "True",
      message: "",
      nodeCountLimit: 5,
      autoscaling: false,
    });
  });

  it("says why a set is not ready, the node limit first, and notes KEDA autoscaling", () => {
    const set = fixtureSet("mistral-7b-instruct.yaml", (s) => {
      s.spec.replicas = 3;
      s.status = {
        replicas: 2,
        readyReplicas: 1,
        conditions: [
          condition(
            "InferenceSetReady",
            "False",
            "inferencesetNotReady",
            "inferenceset is not ready, 1/3 replicas are ready",
          ),
          condition("NodeCountLimitReached", "True", "NodeCountLimitExceeded", "the set stops at 2 replicas"),
        ],
      };
    });
    expect(summarizeInferenceSet(set)).toMatchObject({
      replicas: 3,
      readyReplicas: 1,
      ready: "False",
      message: "the set stops at 2 replicas",
      autoscaling: true,
    });
  });

  it("counts a set the controller has not seen yet as 0 ready of the default 1", () => {
    const set = fixtureSet("phi-4-mini-set.yaml", (s) => delete s.spec.replicas);
    expect(summarizeInferenceSet(set)).toMatchObject({ replicas: 1, readyReplicas: 0, ready: "" });
  });
});
