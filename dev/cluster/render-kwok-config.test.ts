import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";

import { readStageTimings, renderKwokConfig } from "./render-kwok-config";

describe("renderKwokConfig", () => {
  it("fills every delay into the stages and keeps the cluster on loopback", () => {
    const timings = readStageTimings({ KWOK_POD_READY_DELAY_MS: "0", KWOK_JOB_DURATION_MS: "2500" });
    const docs = parseAllDocuments(renderKwokConfig(timings, "/data/pod.log"))
      .map((d) => d.toJS())
      .filter(Boolean);
    expect(docs[0]).toMatchObject({ kind: "KwokctlConfiguration", options: { bindAddress: "127.0.0.1" } });
    const stages = Object.fromEntries(docs.filter((d) => d.kind === "Stage").map((s) => [s.metadata.name, s.spec]));
    expect(docs[1]).toMatchObject({ kind: "KwokConfiguration", options: { podPlayStageParallelism: 16 } });
    expect(stages["pod-ready"].delay.durationMilliseconds).toBe(0);
    expect(stages["pod-complete"].delay.durationMilliseconds).toBe(2500);
    expect(stages["pod-simulate-oom"].delay.durationMilliseconds).toBe(3000);
    expect(Object.keys(stages)).toEqual(
      expect.arrayContaining(["node-initialize", "node-heartbeat-with-lease", "pod-delete", "pod-simulate-imagepull"]),
    );
    expect(renderKwokConfig(timings, "/data/pod.log")).not.toMatch(/__[A-Z_]+__/);
    // Every pod's log is the model-server double's, so the controller can read the benchmark line.
    expect(docs.find((d) => d.kind === "ClusterLogs")).toMatchObject({
      spec: { selector: {}, logs: [{ logsFile: "/data/pod.log" }] },
    });
  });

  it("names the variable when a delay is not a number of milliseconds", () => {
    expect(() => readStageTimings({ KWOK_POD_READY_DELAY_MS: "1s" })).toThrow(/KWOK_POD_READY_DELAY_MS.*"1s"/);
  });
});
