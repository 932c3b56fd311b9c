import { describe, expect, it } from "vitest";

import { checkGpuFit } from "./gpu-fit";
import { findSku, GPU_SKUS } from "./gpu-skus";
import { checkModelName, findPreset, servedModelId } from "./presets";

// Upstream Kaito v0.12's Azure SKU handler (pkg/sku/azure_sku_handler.go): name, GPUs, GPU memory GiB.
const UPSTREAM_AZURE: [string, number, number][] = [
  ["Standard_NC4as_T4_v3", 1, 16],
  ["Standard_NC8as_T4_v3", 1, 16],
  ["Standard_NC16as_T4_v3", 1, 16],
  ["Standard_NC64as_T4_v3", 4, 64],
  ["Standard_NV36ads_A10_v5", 1, 24],
  ["Standard_NV72ads_A10_v5", 2, 48],
  ["Standard_NC24ads_A100_v4", 1, 80],
  ["Standard_NC48ads_A100_v4", 2, 160],
  ["Standard_NC96ads_A100_v4", 4, 320],
  ["Standard_ND96asr_A100_v4", 8, 320],
  ["Standard_ND96amsr_A100_v4", 8, 640],
  ["Standard_NC40ads_H100_v5", 1, 94],
  ["Standard_NC80adis_H100_v5", 2, 188],
  ["Standard_ND96isr_H100_v5", 8, 640],
  ["Standard_NCC40ads_H100_v5", 1, 94],
  ["Standard_ND96isr_H200_v5", 8, 1128],
  ["Standard_NG32ads_V620_v1", 1, 32],
  ["Standard_NG32adms_V620_v1", 1, 32],
  ["Standard_NV12s_v3", 1, 8],
  ["Standard_NV24s_v3", 2, 16],
  ["Standard_NV48s_v3", 4, 32],
  ["Standard_NV32as_v4", 1, 16],
];

describe("the GPU SKU catalog against upstream v0.12", () => {
  it("has every Azure SKU upstream supports, with its GPU count and memory, none marked deprecated", () => {
    for (const [name, gpus, memory] of UPSTREAM_AZURE)
      expect(findSku(name), name).toMatchObject({
        gpuCount: gpus,
        totalGpuMemoryGiB: memory,
        deprecatedUpstream: false,
      });
  });

  it("keeps the seed's V100 SKUs working, marked deprecated upstream, and nothing else", () => {
    const deprecated = GPU_SKUS.filter((s) => s.deprecatedUpstream).map((s) => s.name);
    expect(deprecated).toEqual(["Standard_NC6s_v3", "Standard_NC12s_v3", "Standard_NC24s_v3", "Standard_NC24rs_v3"]);
    expect(checkGpuFit("phi-3-mini-4k-instruct", "Standard_NC6s_v3", 1).kind).toBe("fits");
    const azure = GPU_SKUS.filter((s) => s.cloud === "azure" && !s.deprecatedUpstream).map((s) => s.name);
    expect(azure.sort()).toEqual(UPSTREAM_AZURE.map(([name]) => name).sort());
  });
});

describe("the preset catalog against upstream v0.12", () => {
  it.each([
    ["gpt-oss-20b", 25.63],
    ["gpt-oss-120b", 121.54],
    ["gemma-3-27b-instruct", 51.1],
    ["ministral-3-14b-instruct", 14.65],
    ["mistral-large-3-675b-instruct", 634.7],
    ["deepseek-r1-0528", 641.3],
    ["nvidia/NVIDIA-Nemotron-3-Nano-4B-BF16", 7.4],
    ["Qwen/Qwen3-8B-AWQ", 5.68],
  ])("%s weighs %s GiB as upstream's catalog says", (name, weights) => {
    expect(findPreset(name)?.weightsGiB).toBe(weights);
  });

  it("finds a curated model by its HuggingFace id too, in any case, and checks its memory like a preset", () => {
    expect(findPreset("openai/gpt-oss-20b")?.name).toBe("gpt-oss-20b");
    expect(findPreset("MICROSOFT/phi-4")?.name).toBe("phi-4");
    expect(checkModelName("openai/gpt-oss-20b")).toEqual({ ok: true, preset: true });
    expect(checkGpuFit("openai/gpt-oss-20b", "Standard_NV36ads_A10_v5", 1)).toMatchObject({
      kind: "too-small",
      message:
        "Insufficient total GPU memory: Instance type Standard_NV36ads_A10_v5 has a total of 24Gi, but preset openai/gpt-oss-20b requires at least 25.63Gi",
    });
    expect(checkGpuFit("openai/gpt-oss-20b", "Standard_NC24ads_A100_v4", 1).kind).toBe("fits");
    expect(findPreset("Qwen/Qwen3-0.6B")).toBeUndefined();
  });

  it("serves a curated model under the lower-cased last segment of its HuggingFace id", () => {
    expect(servedModelId("nvidia/NVIDIA-Nemotron-Nano-9B-v2")).toBe("nvidia-nemotron-nano-9b-v2");
    expect(findPreset("nvidia/NVIDIA-Nemotron-Nano-9B-v2")?.family).toBe("nemotron");
  });
});
