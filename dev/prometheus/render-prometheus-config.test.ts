import type { V1Pod } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

import { podTargets } from "./pod-targets";
import { renderPrometheusConfig } from "./render-prometheus-config";

const pod: V1Pod = {
  metadata: { name: "phi-0", namespace: "team-a", labels: { "kaito.sh/workspace": "phi" } },
  spec: { nodeName: "ws-1", containers: [{ name: "phi", ports: [{ name: "http", containerPort: 5000 }] }] },
  status: { phase: "Running", podIP: "10.0.0.7" },
};

describe("local Prometheus configuration", () => {
  it("lists pods with the labels Kubernetes discovery gives them", () => {
    expect(podTargets([pod])).toEqual([
      {
        targets: ["10.0.0.7:5000"],
        labels: expect.objectContaining({
          __meta_kubernetes_namespace: "team-a",
          __meta_kubernetes_pod_name: "phi-0",
          __meta_kubernetes_pod_phase: "Running",
          __meta_kubernetes_pod_label_kaito_sh_workspace: "phi",
          __meta_kubernetes_pod_labelpresent_kaito_sh_workspace: "true",
          __meta_kubernetes_pod_container_name: "phi",
          __meta_kubernetes_pod_container_port_name: "http",
        }),
      },
    ]);
  });

  it("leaves out a pod until it has an IP, so that its instance label never changes", () => {
    expect(podTargets([{ ...pod, status: { phase: "Pending" } }])).toEqual([]);
  });

  it("relabels inference pods like a PodMonitor and points the scrape at the double's path for the Workspace", () => {
    const config = parse(
      renderPrometheusConfig({
        podDiscoveryUrl: "http://127.0.0.1:1234/pods",
        targets: { modelServer: "127.0.0.1:8000", gpuMetrics: "127.0.0.1:9400", worker: "127.0.0.1:9464" },
        namespace: "kaito-dashboard",
        scrapeInterval: "5s",
      }),
    );
    const jobs = Object.fromEntries(config.scrape_configs.map((j: { job_name: string }) => [j.job_name, j]));
    expect(Object.keys(jobs)).toEqual(["kaito-inference", "dcgm-exporter", "kaito-dashboard-worker"]);
    const relabels = jobs["kaito-inference"].relabel_configs as { target_label?: string; replacement?: string }[];
    expect(
      relabels.filter((r) => r.target_label && !r.target_label.startsWith("__")).map((r) => r.target_label),
    ).toEqual(["namespace", "pod", "container", "endpoint", "workspace", "instance"]);
    expect(relabels.find((r) => r.target_label === "__metrics_path__")?.replacement).toBe("/ws/$1/$2/metrics");
    expect(jobs["dcgm-exporter"].honor_labels).toBe(true);
    expect(jobs["kaito-dashboard-worker"].static_configs[0].labels).toEqual({
      namespace: "kaito-dashboard",
      pod: "kaito-dashboard-worker",
    });
  });

  it("loads the rule files it is given and none otherwise", () => {
    const base = {
      podDiscoveryUrl: "http://127.0.0.1:1234/pods",
      targets: { modelServer: "127.0.0.1:8000", gpuMetrics: "127.0.0.1:9400", worker: "127.0.0.1:9464" },
      namespace: "kaito-dashboard",
      scrapeInterval: "5s",
    };
    expect(parse(renderPrometheusConfig({ ...base, ruleFiles: ["fleet-rules.yml"] })).rule_files).toEqual([
      "fleet-rules.yml",
    ]);
    expect(parse(renderPrometheusConfig(base)).rule_files).toBeUndefined();
  });
});
