import "server-only";

import type { V1Service } from "@kubernetes/client-node";

import { ANNOTATION_ENABLE_LB, LABEL_STATEFULSET_POD_NAME, LABEL_WORKSPACE } from "@/lib/kaito/labels";
import { INFERENCE_PORT, SERVICE_PORT } from "@/lib/kaito/runtime";
import type { Workspace } from "@/server/kube/types/workspace";

import { workspaceLabels, workspaceOwnerReference } from "./render-options";

/**
 * The Service `<ws>` (80 → 5000) and `<ws>-headless`. The main Service selects pod 0 only:
 * in a multi-node deployment the leader is the one that serves HTTP. publishNotReadyAddresses
 * keeps the address resolvable while the model loads, as upstream does.
 */
export function renderInferenceServices(ws: Workspace): [V1Service, V1Service] {
  const name = ws.metadata.name;
  const meta = (serviceName: string) => ({
    name: serviceName,
    namespace: ws.metadata.namespace,
    labels: workspaceLabels(ws),
    ownerReferences: [workspaceOwnerReference(ws)],
  });
  const loadBalancer = ws.metadata.annotations?.[ANNOTATION_ENABLE_LB] === "True";
  const main: V1Service = {
    apiVersion: "v1",
    kind: "Service",
    metadata: meta(name),
    spec: {
      type: loadBalancer ? "LoadBalancer" : "ClusterIP",
      ports: [{ name: "http", protocol: "TCP", port: SERVICE_PORT, targetPort: INFERENCE_PORT }],
      selector: { [LABEL_WORKSPACE]: name, [LABEL_STATEFULSET_POD_NAME]: `${name}-0` },
      publishNotReadyAddresses: true,
    },
  };
  const headless: V1Service = {
    apiVersion: "v1",
    kind: "Service",
    metadata: meta(`${name}-headless`),
    spec: {
      clusterIP: "None",
      ports: [{ name: "http", protocol: "TCP", port: INFERENCE_PORT, targetPort: INFERENCE_PORT }],
      selector: { [LABEL_WORKSPACE]: name },
      publishNotReadyAddresses: true,
    },
  };
  return [main, headless];
}
