import { describe, expect, it } from "vitest";

import { readAutoscalingRequest, renderScaledObject } from "./render-scaledobject";
import { fixtureSet } from "./testing";

const PROMETHEUS = "http://prometheus.monitoring.svc:9090";

describe("readAutoscalingRequest", () => {
  it("reads upstream's mistral example: threshold 10, max from nodeCountLimit 5, min 1", () => {
    const set = fixtureSet("mistral-7b-instruct.yaml");
    expect(readAutoscalingRequest(set, 1)).toEqual({
      requested: true,
      minReplicas: 1,
      maxReplicas: 5,
      threshold: "10",
      metricName: "vllm:num_requests_waiting",
    });
    expect(readAutoscalingRequest(set, 2)).toMatchObject({ maxReplicas: 2 });
  });

  it('is off without auto-provision: "true"', () => {
    expect(readAutoscalingRequest(fixtureSet("phi-4-mini-set.yaml"), 1)).toEqual({ requested: false });
  });

  it("names what is wrong with the annotations", () => {
    const withAnnotations = (a: Record<string, string>, limit?: number) =>
      readAutoscalingRequest(
        fixtureSet("mistral-7b-instruct.yaml", (s) => {
          s.metadata.annotations = { "scaledobject.kaito.sh/auto-provision": "true", ...a };
          s.spec.nodeCountLimit = limit;
        }),
        1,
      );
    expect(withAnnotations({})).toMatchObject({
      error: expect.stringContaining("threshold must be a non-negative integer"),
    });
    expect(withAnnotations({ "scaledobject.kaito.sh/threshold": "ten" }, 5)).toMatchObject({
      error: expect.any(String),
    });
    expect(withAnnotations({ "scaledobject.kaito.sh/threshold": "3" })).toMatchObject({
      error: expect.stringContaining("spec.nodeCountLimit"),
    });
    expect(
      withAnnotations({ "scaledobject.kaito.sh/threshold": "3", "scaledobject.kaito.sh/max-replicas": "1" }),
    ).toMatchObject({
      error: "scaledobject.kaito.sh/max-replicas must be an integer above 1",
    });
    expect(
      withAnnotations({
        "scaledobject.kaito.sh/threshold": "3",
        "scaledobject.kaito.sh/max-replicas": "3",
        "scaledobject.kaito.sh/min-replicas": "4",
      }),
    ).toMatchObject({ error: "max-replicas (3) is less than min-replicas (4)" });
  });
});

describe("renderScaledObject", () => {
  it("targets the set's scale subresource, is owned by the set, and queries the set's pods", () => {
    const set = fixtureSet("mistral-7b-instruct.yaml");
    const request = readAutoscalingRequest(set, 1);
    if (!request.requested || "error" in request) throw new Error("expected a valid request");
    const so = renderScaledObject(set, request, PROMETHEUS);
    expect(so.metadata).toMatchObject({
      name: "mistral-7b-instruct",
      namespace: "team-a",
      ownerReferences: [{ kind: "InferenceSet", name: "mistral-7b-instruct", uid: set.metadata.uid, controller: true }],
    });
    expect(so.spec).toMatchObject({
      scaleTargetRef: { apiVersion: "kaito.sh/v1beta1", kind: "InferenceSet", name: "mistral-7b-instruct" },
      minReplicaCount: 1,
      maxReplicaCount: 5,
    });
    const [trigger] = so.spec.triggers as { type: string; metricType: string; metadata: Record<string, string> }[];
    expect(trigger).toMatchObject({ type: "prometheus", metricType: "AverageValue" });
    expect(trigger.metadata).toEqual({
      serverAddress: PROMETHEUS,
      query: 'sum(vllm:num_requests_waiting{namespace="team-a",pod=~"mistral-7b-instruct-[a-z0-9]{5}-[0-9]+"})',
      threshold: "10",
    });
  });
});
