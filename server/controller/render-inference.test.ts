import { describe, expect, it } from "vitest";

import { renderInferenceServices } from "./render-inference-services";
import { renderInferenceStatefulSet } from "./render-inference-statefulset";
import { DEFAULT_RENDER_OPTIONS } from "./render-options";
import { seedWorkspace } from "./testing/fixtures";

describe("renderInferenceStatefulSet", () => {
  const ws = seedWorkspace("kaito_workspace_phi_3.yaml");

  it("runs the preset on the Workspace's GPU nodes with Kaito's probes and volumes", () => {
    const sts = renderInferenceStatefulSet(ws, DEFAULT_RENDER_OPTIONS);
    expect(sts.metadata?.name).toBe("workspace-phi-3-mini");
    expect(sts.metadata?.ownerReferences?.[0]).toMatchObject({
      kind: "Workspace",
      name: "workspace-phi-3-mini",
      controller: true,
      uid: ws.metadata.uid,
    });
    expect(sts.spec?.replicas).toBe(1);
    expect(sts.spec?.podManagementPolicy).toBe("Parallel");
    expect(sts.spec?.serviceName).toBe("workspace-phi-3-mini-headless");
    expect(sts.spec?.template.metadata?.labels).toEqual({ "kaito.sh/workspace": "workspace-phi-3-mini" });
    const pod = sts.spec!.template.spec!;
    const main = pod.containers[0];
    expect(main.name).toBe("workspace-phi-3-mini");
    expect(main.image).toBe("mcr.microsoft.com/aks/kaito/kaito-base:0.2.0");
    expect(main.ports).toEqual([{ name: "http", containerPort: 5000 }]);
    expect(main.resources).toEqual({ requests: { "nvidia.com/gpu": "1" }, limits: { "nvidia.com/gpu": "1" } });
    expect(main.startupProbe).toMatchObject({
      httpGet: { path: "/health", port: 5000 },
      periodSeconds: 10,
      failureThreshold: 180,
    });
    expect(main.livenessProbe).toMatchObject({ periodSeconds: 10, failureThreshold: 3 });
    expect(main.readinessProbe).toMatchObject({ initialDelaySeconds: 30, periodSeconds: 10 });
    expect(main.volumeMounts?.map((m) => `${m.name}:${m.mountPath}`)).toEqual([
      "dshm:/dev/shm",
      "model-weights-volume:/workspace/weights",
      "config-volume:/mnt/config",
      "adapter-volume:/mnt/adapter",
    ]);
    expect(pod.volumes?.find((v) => v.name === "config-volume")?.configMap?.name).toBe("inference-params-template");
    expect(pod.tolerations).toEqual([
      { key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" },
      { key: "sku", operator: "Equal", value: "gpu", effect: "NoSchedule" },
    ]);
    expect(
      pod.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms[0].matchExpressions,
    ).toEqual([{ key: "apps", operator: "In", values: ["phi-3"] }]);
  });

  it("adds a puller per adapter image, one env var per adapter strength and the HF token secret", () => {
    const adapted = seedWorkspace("kaito_workspace_phi_3_with_adapters.yaml");
    adapted.inference!.preset!.presetOptions = { modelAccessSecret: "hf-secret" };
    adapted.inference!.adapters![0].source.imagePullSecrets = ["acr"];
    const pod = renderInferenceStatefulSet(adapted, DEFAULT_RENDER_OPTIONS).spec!.template.spec!;
    expect(pod.initContainers?.map((c) => c.name)).toEqual(["puller-phi-3-adapter"]);
    expect(pod.initContainers?.[0].image).toBe("ACR_REPO_HERE.azurecr.io/ADAPTER_HERE:0.0.1");
    expect(pod.imagePullSecrets).toEqual([{ name: "acr" }]);
    expect(pod.containers[0].env).toEqual([
      { name: "HF_TOKEN", valueFrom: { secretKeyRef: { name: "hf-secret", key: "HF_TOKEN", optional: true } } },
      { name: "phi-3-adapter", value: "1.0" },
    ]);
  });

  it("runs one replica per node and points workers at pod 0 when count > 1", () => {
    const multi = { ...ws, resource: { ...ws.resource!, count: 2 } };
    const sts = renderInferenceStatefulSet(multi, DEFAULT_RENDER_OPTIONS);
    expect(sts.spec?.replicas).toBe(2);
    expect(sts.spec?.template.spec?.containers[0].command?.join(" ")).toContain(
      "workspace-phi-3-mini-0.workspace-phi-3-mini-headless.default.svc.cluster.local",
    );
  });

  it("copies test-only annotations onto the pod template only when the prefix is configured", () => {
    const annotated = seedWorkspace("kaito_workspace_phi_3.yaml", {
      annotations: { "kwok.test/fault": "oom", other: "x" },
    });
    expect(
      renderInferenceStatefulSet(annotated, DEFAULT_RENDER_OPTIONS).spec?.template.metadata?.annotations,
    ).toBeUndefined();
    const withPrefix = renderInferenceStatefulSet(annotated, {
      ...DEFAULT_RENDER_OPTIONS,
      podAnnotationPassthroughPrefix: "kwok.test/",
    });
    expect(withPrefix.spec?.template.metadata?.annotations).toEqual({ "kwok.test/fault": "oom" });
  });
});

describe("renderInferenceServices", () => {
  it("exposes port 80 → 5000 on pod 0 and a headless Service for all pods", () => {
    const ws = seedWorkspace("kaito_workspace_phi_3.yaml");
    const [svc, headless] = renderInferenceServices(ws);
    expect(svc.metadata?.name).toBe("workspace-phi-3-mini");
    expect(svc.spec?.type).toBe("ClusterIP");
    expect(svc.spec?.ports).toEqual([{ name: "http", protocol: "TCP", port: 80, targetPort: 5000 }]);
    expect(svc.spec?.selector).toEqual({
      "kaito.sh/workspace": "workspace-phi-3-mini",
      "statefulset.kubernetes.io/pod-name": "workspace-phi-3-mini-0",
    });
    expect(svc.spec?.publishNotReadyAddresses).toBe(true);
    expect(headless.metadata?.name).toBe("workspace-phi-3-mini-headless");
    expect(headless.spec?.clusterIP).toBe("None");
  });

  it("becomes a LoadBalancer with kaito.sh/enablelb: True", () => {
    const ws = seedWorkspace("kaito_workspace_phi_3.yaml", { annotations: { "kaito.sh/enablelb": "True" } });
    expect(renderInferenceServices(ws)[0].spec?.type).toBe("LoadBalancer");
  });
});
