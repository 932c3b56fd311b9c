// The chart's monitoring objects: the inference PodMonitor and PROMETHEUS_URL as rendered by helm,
// and the PrometheusRule's three alerts proven with Prometheus's own rule tester (promtool test
// rules, from Debian's prometheus package) on series shaped like vLLM's, dcgm-exporter's and the
// worker's.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseAllDocuments, stringify } from "yaml";

import { ensureHelm } from "../../dev/helm/ensure-helm";
import { FLEET_RULE_GROUP, fleetRuleGroup } from "../../server/metrics/fleet-recording-rules";

const chart = path.resolve(import.meta.dirname, "../../charts/kaito-dashboard");
const dir = mkdtempSync(path.join(tmpdir(), "kd-rules-"));
type Manifest = { kind: string; metadata: { name: string }; spec: Record<string, unknown> };
let manifests: Manifest[];

beforeAll(() => {
  const rendered = spawnSync(
    ensureHelm(),
    [
      "template",
      "kd",
      chart,
      "--set",
      "monitoring.prometheusRule.enabled=true",
      "--set",
      "monitoring.prometheusRule.waitingRequestsThreshold=10",
      "--set",
      "monitoring.inferencePodMonitor.enabled=true",
      "--set",
      "monitoring.prometheusUrl=http://kube-prometheus-stack-prometheus.monitoring.svc:9090",
      "--set",
      "worker.serviceMonitor.enabled=true",
    ],
    { encoding: "utf8" },
  );
  expect(rendered.stderr).toBe("");
  manifests = parseAllDocuments(rendered.stdout)
    .map((d) => d.toJS() as Manifest | null)
    .filter((m): m is Manifest => m !== null);
}, 1_200_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const promtool = (args: string[]) => spawnSync("/usr/bin/promtool", args, { encoding: "utf8", cwd: dir });
const byKind = (kind: string) => manifests.filter((m) => m.kind === kind);

describe("chart monitoring", () => {
  it("scrapes the controller's inference pods with a workspace label and points the web at Prometheus", () => {
    const [monitor] = byKind("PodMonitor");
    expect(monitor.spec.selector).toEqual({ matchExpressions: [{ key: "kaito.sh/workspace", operator: "Exists" }] });
    expect(monitor.spec.namespaceSelector).toEqual({ any: true });
    const [endpoint] = monitor.spec.podMetricsEndpoints as { port: string; relabelings: { targetLabel?: string }[] }[];
    expect(endpoint.port).toBe("http");
    expect(endpoint.relabelings.map((r) => r.targetLabel).filter(Boolean)).toEqual(["workspace"]);
    const web = byKind("Deployment").find((d) => d.metadata.name.endsWith("-web"))!;
    const env = (web.spec as { template: { spec: { containers: { env: { name: string; value?: string }[] }[] } } })
      .template.spec.containers[0].env;
    expect(env.find((e) => e.name === "PROMETHEUS_URL")?.value).toBe(
      "http://kube-prometheus-stack-prometheus.monitoring.svc:9090",
    );
    const [workerMonitor] = byKind("ServiceMonitor");
    expect((workerMonitor.spec.endpoints as { honorLabels: boolean }[])[0].honorLabels).toBe(true);
  });

  it("fires its three alerts on the series that call for them, and only on those", () => {
    const [rule] = byKind("PrometheusRule");
    writeFileSync(path.join(dir, "rules.yml"), stringify({ groups: rule.spec.groups }));
    const check = promtool(["check", "rules", "rules.yml"]);
    // Three alerts and the fleet's recording rules.
    expect(check.stdout + check.stderr).toContain(`SUCCESS: ${3 + fleetRuleGroup().rules.length} rules found`);

    const annotations = (alert: string, values: Record<string, string>) => {
      const found = (
        rule.spec.groups as { rules: { alert: string; annotations: Record<string, string> }[] }[]
      )[0].rules.find((r) => r.alert === alert)!.annotations;
      return Object.fromEntries(
        Object.entries(found).map(([k, v]) => [
          k,
          v.replace(/\{\{ \$(labels\.)?(\w+) \}\}/g, (_, __, key) => values[key]),
        ]),
      );
    };
    const tests = {
      rule_files: ["rules.yml"],
      evaluation_interval: "1m",
      tests: [
        {
          interval: "1m",
          input_series: [
            { series: 'kaito_workspace_ready{namespace="team-a",workspace="stuck"}', values: "0x30" },
            { series: 'kaito_workspace_ready{namespace="team-a",workspace="fine"}', values: "1x30" },
            { series: 'kaito_workspace_ready{namespace="team-a",workspace="slow-start"}', values: "0x10 1x20" },
            { series: 'vllm:num_requests_waiting{namespace="team-b",workspace="busy",pod="busy-0"}', values: "12x30" },
            {
              series: 'vllm:num_requests_waiting{namespace="team-b",workspace="burst",pod="burst-0"}',
              values: "30x3 0x27",
            },
          ],
          alert_rule_test: [
            {
              eval_time: "20m",
              alertname: "KaitoWorkspaceNotReady",
              exp_alerts: [
                {
                  exp_labels: { severity: "warning", namespace: "team-a", workspace: "stuck" },
                  exp_annotations: annotations("KaitoWorkspaceNotReady", { namespace: "team-a", workspace: "stuck" }),
                },
              ],
            },
            {
              eval_time: "10m",
              alertname: "KaitoInferenceQueueBacklog",
              exp_alerts: [
                {
                  exp_labels: { severity: "warning", namespace: "team-b", workspace: "busy" },
                  exp_annotations: annotations("KaitoInferenceQueueBacklog", {
                    namespace: "team-b",
                    workspace: "busy",
                    value: "12",
                  }),
                },
              ],
            },
          ],
        },
        {
          interval: "10m",
          input_series: [
            { series: 'DCGM_FI_DEV_GPU_UTIL{namespace="team-c",pod="idle-0",gpu="0"}', values: "0x160" },
            { series: 'DCGM_FI_DEV_GPU_UTIL{namespace="team-c",pod="used-0",gpu="0"}', values: "0x100 40 0x59" },
            { series: 'DCGM_FI_DEV_GPU_UTIL{gpu="1"}', values: "0x160" },
          ],
          alert_rule_test: [
            { eval_time: "12h", alertname: "KaitoGpuIdle", exp_alerts: [] },
            {
              eval_time: "25h",
              alertname: "KaitoGpuIdle",
              exp_alerts: [
                {
                  exp_labels: { severity: "info", namespace: "team-c", pod: "idle-0" },
                  exp_annotations: annotations("KaitoGpuIdle", { namespace: "team-c", pod: "idle-0" }),
                },
              ],
            },
          ],
        },
      ],
    };
    writeFileSync(path.join(dir, "tests.yml"), stringify(tests));
    const run = promtool(["test", "rules", "tests.yml"]);
    expect(run.stdout + run.stderr).toContain("SUCCESS");
    expect(run.status).toBe(0);
  });

  it("ships the fleet's recording rules beside the alerts, unless turned off", () => {
    const [rule] = byKind("PrometheusRule");
    const groups = rule.spec.groups as { name: string }[];
    expect(groups.map((g) => g.name)).toEqual(["kaito-dashboard.serving", FLEET_RULE_GROUP]);
    expect(groups[1]).toEqual(fleetRuleGroup());

    const without = spawnSync(
      ensureHelm(),
      [
        "template",
        "kd",
        chart,
        "--show-only",
        "templates/prometheus-rule.yaml",
        "--set",
        "monitoring.prometheusRule.enabled=true",
        "--set",
        "monitoring.prometheusRule.fleetRecordingRules=false",
      ],
      { encoding: "utf8" },
    );
    expect(without.stderr).toBe("");
    const [alone] = parseAllDocuments(without.stdout).map((d) => d.toJS() as Manifest);
    expect((alone.spec.groups as { name: string }[]).map((g) => g.name)).toEqual(["kaito-dashboard.serving"]);
  });
});
