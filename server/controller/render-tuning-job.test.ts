import { describe, expect, it } from "vitest";

import { DEFAULT_RENDER_OPTIONS } from "./render-options";
import { renderTuningJob } from "./render-tuning-job";
import { seedWorkspace } from "./testing/fixtures";

describe("renderTuningJob", () => {
  it("renders the seed's qlora tuning example: downloader, GPU trainer, pusher with the push secret", () => {
    const ws = seedWorkspace("kaito_workspace_tuning_phi_3.yaml");
    const job = renderTuningJob(ws, DEFAULT_RENDER_OPTIONS);
    expect(job.metadata?.name).toBe("workspace-phi-3-mini");
    expect(job.metadata?.ownerReferences?.[0].kind).toBe("Workspace");
    const pod = job.spec!.template.spec!;
    expect(pod.restartPolicy).toBe("Never");
    expect(pod.initContainers?.[0].name).toBe("data-downloader");
    expect(pod.initContainers?.[0].env?.[0]).toEqual({ name: "DATA_URLS", value: ws.tuning!.input!.urls![0] });
    expect(pod.containers.map((c) => c.name)).toEqual(["workspace-phi-3-mini", "pusher"]);
    expect(pod.containers[0].resources?.limits).toEqual({ "nvidia.com/gpu": "1" });
    expect(pod.volumes?.find((v) => v.name === "config-volume")?.configMap?.name).toBe("qlora-params-template");
    expect(pod.volumes?.find((v) => v.name === "docker-config")?.secret?.secretName).toBe("ACR_REGISTRY_SECRET_HERE");
    expect(pod.containers[1].volumeMounts).toContainEqual({ name: "docker-config", mountPath: "/root/.docker" });
  });

  it("uses a puller init container for an image input", () => {
    const ws = seedWorkspace("kaito_workspace_tuning_phi_3.yaml");
    ws.tuning!.input = { name: "data", image: "registry.example/data:1" };
    const pod = renderTuningJob(ws, DEFAULT_RENDER_OPTIONS).spec!.template.spec!;
    expect(pod.initContainers?.map((c) => c.name)).toEqual(["puller"]);
  });
});
