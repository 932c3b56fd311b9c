import { describe, expect, it } from "vitest";

import { describeGpuFit } from "@/lib/kaito/gpu-fit";

import { initialDraftYaml, readDraft, setDraftValue } from "./workspace-draft";

describe("workspace draft", () => {
  it("starts from a valid Workspace for the chosen preset", () => {
    const { object } = readDraft(initialDraftYaml("phi-3-mini-4k-instruct", "Standard_NC6s_v3"));
    expect(object).toMatchObject({
      apiVersion: "kaito.sh/v1beta1",
      kind: "Workspace",
      metadata: { name: "phi-3-mini-4k-instruct", namespace: "default" },
      resource: { instanceType: "Standard_NC6s_v3", labelSelector: { matchLabels: { apps: "phi" } } },
      inference: { preset: { name: "phi-3-mini-4k-instruct" } },
    });
  });

  it("writes a form field into the YAML and keeps the user's comments", () => {
    const yaml = "# my notes\napiVersion: kaito.sh/v1beta1\nkind: Workspace\nmetadata:\n  name: a # keep me\n";
    const next = setDraftValue(yaml, ["resource", "instanceType"], "Standard_NC12s_v3");
    expect(next).toContain("# my notes");
    expect(next).toContain("name: a # keep me");
    expect(readDraft(next).object?.resource?.instanceType).toBe("Standard_NC12s_v3");
  });

  it("removes emptied fields and the parents they leave empty", () => {
    const yaml = setDraftValue(
      "metadata:\n  name: a\n",
      ["metadata", "annotations", "kaito.sh/bypass-resource-checks"],
      "true",
    );
    expect(readDraft(yaml).object?.metadata?.annotations).toEqual({ "kaito.sh/bypass-resource-checks": "true" });
    const cleared = setDraftValue(yaml, ["metadata", "annotations", "kaito.sh/bypass-resource-checks"], undefined);
    expect(cleared).toBe("metadata:\n  name: a\n");
  });

  it("leaves a document with a syntax error alone and reports the error", () => {
    const broken = "metadata:\n  name: [a\n";
    expect(setDraftValue(broken, ["metadata", "name"], "b")).toBe(broken);
    expect(readDraft(broken).syntaxError).toBeTruthy();
  });
});

describe("describeGpuFit", () => {
  const sku = {
    name: "Standard_NC6s_v3",
    cloud: "azure",
    gpuModel: "V100",
    gpuProduct: "x",
    gpuCount: 1,
    totalGpuMemoryGiB: 16,
    cpu: 6,
    memoryGiB: 112,
    deprecatedUpstream: true,
  } as const;
  const preset = (weightsGiB: number) => ({
    name: "m",
    huggingFaceId: "o/m",
    family: "m",
    gpuMemoryGiB: null,
    weightsGiB,
    diskGiB: 80,
    contextLength: 4096,
    tuning: false,
    distributed: false,
    needsHfToken: false,
  });

  it("fits when the nodes' GPU memory holds the weights, and says what is left", () => {
    expect(describeGpuFit(preset(7.12), sku, 1)).toMatchObject({
      kind: "fits",
      reason: "m needs 7.12 GiB for its weights; 8.88 GiB left for the KV cache.",
    });
  });

  it("explains by how much a too-small instance misses", () => {
    expect(describeGpuFit(preset(27.31), sku, 1).reason).toBe(
      "m needs at least 27.31 GiB of GPU memory for its weights, 11.31 GiB more than Standard_NC6s_v3 has.",
    );
  });

  it("counts every node", () => {
    expect(describeGpuFit(preset(27.31), sku, 2).kind).toBe("fits");
  });
});
