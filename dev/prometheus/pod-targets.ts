import type { V1Pod } from "@kubernetes/client-node";

/** One http_sd target group (Prometheus's HTTP service discovery format). */
export type TargetGroup = { targets: string[]; labels: Record<string, string> };

/** Prometheus's label-name sanitising of Kubernetes label keys (`kaito.sh/workspace` → `kaito_sh_workspace`). */
export function sanitizeLabelName(key: string): string {
  return key.replace(/[^a-zA-Z0-9_]/g, "_");
}

/**
 * Pods as Prometheus's Kubernetes service discovery (role `pod`) describes them: one target per
 * declared container port, with the `__meta_kubernetes_*` labels of that role. Debian's Prometheus
 * is built without Kubernetes discovery, so the local cluster serves this over http_sd instead;
 * the relabelling that follows is the same a PodMonitor produces.
 */
export function podTargets(pods: readonly V1Pod[]): TargetGroup[] {
  const groups: TargetGroup[] = [];
  for (const pod of pods) {
    // Until the pod has an IP there is no address to name it by; listing it then would change
    // its `instance` (and so every series' identity) once the IP arrives.
    if (!pod.status?.podIP) continue;
    const podLabels: Record<string, string> = {
      __meta_kubernetes_namespace: pod.metadata?.namespace ?? "",
      __meta_kubernetes_pod_name: pod.metadata?.name ?? "",
      __meta_kubernetes_pod_phase: pod.status?.phase ?? "",
      __meta_kubernetes_pod_node_name: pod.spec?.nodeName ?? "",
      __meta_kubernetes_pod_ip: pod.status?.podIP ?? "",
    };
    for (const [key, value] of Object.entries(pod.metadata?.labels ?? {})) {
      podLabels[`__meta_kubernetes_pod_label_${sanitizeLabelName(key)}`] = value;
      podLabels[`__meta_kubernetes_pod_labelpresent_${sanitizeLabelName(key)}`] = "true";
    }
    for (const container of pod.spec?.containers ?? [])
      for (const port of container.ports ?? [])
        groups.push({
          targets: [`${pod.status.podIP}:${port.containerPort}`],
          labels: {
            ...podLabels,
            __meta_kubernetes_pod_container_name: container.name,
            __meta_kubernetes_pod_container_port_name: port.name ?? "",
            __meta_kubernetes_pod_container_port_number: String(port.containerPort),
          },
        });
  }
  return groups;
}
