// The local cluster's Prometheus (Debian's prometheus, dev/prometheus) scraping the model-server
// and GPU metrics doubles: an inference pod of a Workspace becomes a target with the labels a
// PodMonitor gives it, and the GPU it holds reports under that pod.
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { uniqueName, useTestNamespace } from "../support/cluster";
import { releaseGpuNode } from "../support/gpu-node";
import { startMetricsStack, startWorkspacePod, type MetricsStack } from "../support/metrics-stack";
import { waitFor } from "../support/wait-for";
import { createInferenceWorkspace } from "../support/workspace-status";

const ns = useTestNamespace("prom");
const nodeName = uniqueName("ws-prom");
let stack: MetricsStack;

beforeAll(async () => {
  await createInferenceWorkspace(ns.name, "phi");
  await startWorkspacePod(ns.name, "phi", nodeName);
  stack = await startMetricsStack({ ttftMs: 10, tokenDelayMs: 2 });
}, 120_000);

afterAll(async () => {
  await stack?.stop();
  await releaseGpuNode(nodeName);
});

describe("local Prometheus", () => {
  it("scrapes a Workspace's inference pod with namespace, pod and workspace target labels", async () => {
    const series = await waitFor("vLLM's series of the Workspace in Prometheus", async () => {
      const result = await stack.query(`vllm:num_requests_running{namespace="${ns.name}"}`);
      return result.length > 0 ? result : undefined;
    });
    expect(series[0].metric).toMatchObject({
      namespace: ns.name,
      pod: "phi-0",
      container: "phi",
      workspace: "phi",
      model_name: "phi-3-mini-4k-instruct",
      job: "kaito-inference",
    });
    const up = await stack.query(`up{job="kaito-inference",namespace="${ns.name}"}`);
    expect(up.map((s) => s.value[1])).toEqual(["1"]);
  });

  it("gets the pod's GPU from the GPU metrics double under the pod's own labels", async () => {
    const util = await waitFor("DCGM_FI_DEV_GPU_UTIL of the pod", async () => {
      const result = await stack.query(`DCGM_FI_DEV_GPU_UTIL{namespace="${ns.name}",pod="phi-0"}`);
      return result.length > 0 ? result : undefined;
    });
    expect(util).toHaveLength(1);
    expect(util[0].metric).toMatchObject({ Hostname: nodeName, container: "phi", job: "dcgm-exporter" });
    expect(util[0].value[1]).toBe("0");
    const used = await stack.query(`DCGM_FI_DEV_FB_USED{namespace="${ns.name}",pod="phi-0"}`);
    // Standard_NC6s_v3: one 16 GiB V100, 90 % of it held by vLLM.
    expect(Number(used[0].value[1])).toBe(Math.round(16 * 1024 * 0.9));
  });

  it("keeps one day of data", async () => {
    const flags = await (await fetch(`${stack.prometheus.url}/api/v1/status/flags`)).json();
    expect(flags.data["storage.tsdb.retention.time"]).toBe("1d");
  });
});
