import { stringify } from "yaml";

/** Where the local processes serve their metrics; host:port each. */
export type ScrapeTargets = {
  /** The model-server double: every Workspace's pod is scraped at /ws/{namespace}/{name}/metrics there. */
  modelServer: string;
  gpuMetrics: string;
  worker: string;
  /** The web process; omitted while it serves no /metrics. */
  web?: string;
};

export type LocalPrometheusOptions = {
  /** The http_sd endpoint listing the cluster's pods (./pod-targets.ts). */
  podDiscoveryUrl: string;
  targets: ScrapeTargets;
  /** Namespace the dashboard's own processes count as running in (their `namespace` label). */
  namespace: string;
  scrapeInterval: string;
  /** Rule files to load (the fleet's recording rules), relative to the config file. */
  ruleFiles?: string[];
};

const POD_LABEL_WORKSPACE = "__meta_kubernetes_pod_label_kaito_sh_workspace";

/**
 * The configuration of the local cluster's Prometheus. Inference pods are found the way a
 * PodMonitor finds them — the cluster's pods with Kubernetes discovery's labels — and get the same
 * target labels (namespace, pod, container, endpoint, plus workspace from the `kaito.sh/workspace`
 * label); only the address differs, because KWOK pods have no network: the scrape goes to the
 * model-server double's path for that Workspace instead of the pod IP.
 */
export function renderPrometheusConfig(options: LocalPrometheusOptions): string {
  const { targets } = options;
  const staticJob = (job: string, target: string, pod: string) => ({
    job_name: job,
    // kaito_workspace_ready carries the Workspace's namespace label, as the chart's ServiceMonitor honours.
    honor_labels: true,
    static_configs: [{ targets: [target], labels: { namespace: options.namespace, pod } }],
  });
  const config = {
    global: { scrape_interval: options.scrapeInterval, evaluation_interval: options.scrapeInterval },
    ...(options.ruleFiles?.length ? { rule_files: options.ruleFiles } : {}),
    scrape_configs: [
      {
        job_name: "kaito-inference",
        http_sd_configs: [{ url: options.podDiscoveryUrl, refresh_interval: options.scrapeInterval }],
        relabel_configs: [
          { source_labels: [POD_LABEL_WORKSPACE], regex: ".+", action: "keep" },
          { source_labels: ["__meta_kubernetes_pod_phase"], regex: "Running", action: "keep" },
          { source_labels: ["__meta_kubernetes_pod_container_port_name"], regex: "http", action: "keep" },
          // A multi-node Workspace serves its API (and /metrics) from its first pod only.
          { source_labels: ["__meta_kubernetes_pod_label_apps_kubernetes_io_pod_index"], regex: "0|", action: "keep" },
          { source_labels: ["__meta_kubernetes_namespace"], target_label: "namespace" },
          { source_labels: ["__meta_kubernetes_pod_name"], target_label: "pod" },
          { source_labels: ["__meta_kubernetes_pod_container_name"], target_label: "container" },
          { source_labels: ["__meta_kubernetes_pod_container_port_name"], target_label: "endpoint" },
          { source_labels: [POD_LABEL_WORKSPACE], target_label: "workspace" },
          // instance keeps the pod's own address, as with a PodMonitor; only the scrape goes elsewhere.
          { source_labels: ["__address__"], target_label: "instance" },
          {
            source_labels: ["__meta_kubernetes_namespace", POD_LABEL_WORKSPACE],
            separator: "/",
            regex: "(.+)/(.+)",
            target_label: "__metrics_path__",
            replacement: "/ws/$1/$2/metrics",
          },
          { target_label: "__address__", replacement: targets.modelServer },
        ],
      },
      // dcgm-exporter's own pod/namespace labels name the GPU's workload: honoured, as the GPU
      // operator's ServiceMonitor does, instead of being renamed exported_pod/exported_namespace.
      {
        job_name: "dcgm-exporter",
        honor_labels: true,
        static_configs: [{ targets: [targets.gpuMetrics] }],
      },
      staticJob("kaito-dashboard-worker", targets.worker, "kaito-dashboard-worker"),
      ...(targets.web ? [staticJob("kaito-dashboard-web", targets.web, "kaito-dashboard-web")] : []),
    ],
  };
  return stringify(config);
}
