import { describe, expect, it } from "vitest";

import { checkGpuFit } from "./gpu-fit";
import { findSku, GPU_SKUS } from "./gpu-skus";
import { checkModelName, findPreset, servedModelId } from "./presets";

// Upstream Kaito v0.12's SKU handlers (pkg/sku/azure_sku_handler.go, aws_sku_handler.go, after
// kaito-project/kaito#2185 dropped every GPU older than Ampere): name, GPUs, total GPU memory GiB.
const UPSTREAM_AZURE: [string, number, number][] = [
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
  ["Standard_NV32as_v4", 1, 16],
];

const UPSTREAM_AWS: [string, number, number][] = [
  ["p4d.24xlarge", 8, 320],
  ["p4de.24xlarge", 8, 640],
  ["p5.48xlarge", 8, 640],
  ["p5e.48xlarge", 8, 1128],
  ["p5en.48xlarge", 8, 1128],
  ["g6.xlarge", 1, 24],
  ["g6.2xlarge", 1, 24],
  ["g6.4xlarge", 1, 24],
  ["g6.8xlarge", 1, 24],
  ["g6.16xlarge", 1, 24],
  ["gr6.4xlarge", 1, 24],
  ["gr6.8xlarge", 1, 24],
  ["g6.12xlarge", 4, 96],
  ["g6.24xlarge", 4, 96],
  ["g6.48xlarge", 8, 192],
  ["g5.xlarge", 1, 24],
  ["g5.2xlarge", 1, 24],
  ["g5.4xlarge", 1, 24],
  ["g5.8xlarge", 1, 24],
  ["g5.12xlarge", 4, 96],
  ["g5.16xlarge", 1, 24],
  ["g5.24xlarge", 4, 96],
  ["g5.48xlarge", 8, 192],
  ["g4ad.xlarge", 1, 8],
  ["g4ad.2xlarge", 1, 8],
  ["g4ad.4xlarge", 1, 8],
  ["g4ad.8xlarge", 2, 16],
  ["g4ad.16xlarge", 4, 32],
  ["trn1.2xlarge", 1, 32],
  ["trn1.32xlarge", 16, 512],
  ["trn1n.32xlarge", 16, 512],
  ["inf2.xlarge", 1, 32],
  ["inf2.8xlarge", 1, 32],
  ["inf2.24xlarge", 6, 192],
  ["inf2.48xlarge", 12, 384],
];

const supported = (cloud: "azure" | "aws") =>
  GPU_SKUS.filter((s) => s.cloud === cloud && !s.deprecatedUpstream)
    .map((s) => s.name)
    .sort();

describe("the GPU SKU catalog against upstream v0.12", () => {
  it.each([
    ["Azure", UPSTREAM_AZURE],
    ["AWS", UPSTREAM_AWS],
  ])("has exactly the %s SKUs upstream supports, each with its GPU count and memory", (_, upstream) => {
    for (const [name, gpus, memory] of upstream)
      expect(findSku(name), name).toMatchObject({
        gpuCount: gpus,
        totalGpuMemoryGiB: memory,
        deprecatedUpstream: false,
      });
    const cloud = upstream === UPSTREAM_AZURE ? "azure" : "aws";
    expect(supported(cloud)).toEqual(upstream.map(([name]) => name).sort());
  });

  it("keeps the sizes upstream dropped (V100, T4, M60) working, marked deprecated, the seed's first", () => {
    const deprecated = GPU_SKUS.filter((s) => s.deprecatedUpstream).map((s) => s.name);
    expect(deprecated.sort()).toEqual(
      [
        "Standard_NC6s_v3",
        "Standard_NC12s_v3",
        "Standard_NC24s_v3",
        "Standard_NC24rs_v3",
        "Standard_NC4as_T4_v3",
        "Standard_NC8as_T4_v3",
        "Standard_NC16as_T4_v3",
        "Standard_NC64as_T4_v3",
        "Standard_NV12s_v3",
        "Standard_NV24s_v3",
        "Standard_NV48s_v3",
      ].sort(),
    );
    expect(GPU_SKUS[0].name).toBe("Standard_NC6s_v3");
    expect(checkGpuFit("phi-3-mini-4k-instruct", "Standard_NC6s_v3", 1).kind).toBe("fits");
    expect(findSku("Standard_NC4as_T4_v3")).toMatchObject({ gpuModel: "T4", gpuCount: 1, totalGpuMemoryGiB: 16 });
  });

  it("carries each size's vCPUs and memory as the clouds publish them", () => {
    expect(findSku("Standard_NCC40ads_H100_v5")).toMatchObject({ cpu: 40, memoryGiB: 320 });
    expect(findSku("Standard_ND96isr_H200_v5")).toMatchObject({ cpu: 96, memoryGiB: 1850 });
    expect(findSku("Standard_NG32adms_V620_v1")).toMatchObject({ cpu: 32, memoryGiB: 176 });
    expect(findSku("gr6.8xlarge")).toMatchObject({ gpuModel: "L4", cpu: 32, memoryGiB: 256 });
    expect(findSku("inf2.48xlarge")).toMatchObject({ gpuModel: "Inferentia2", cpu: 192, memoryGiB: 768 });
    expect(findSku("p5en.48xlarge")).toMatchObject({ gpuModel: "H200", cpu: 192, memoryGiB: 2048 });
  });

  it("checks a model against the new AWS sizes with upstream's figures", () => {
    expect(checkGpuFit("gpt-oss-120b", "p4d.24xlarge", 1).kind).toBe("fits");
    expect(checkGpuFit("gpt-oss-120b", "g6.12xlarge", 1)).toMatchObject({
      kind: "too-small",
      message:
        "Insufficient total GPU memory: Instance type g6.12xlarge has a total of 96Gi, but preset gpt-oss-120b requires at least 121.54Gi",
    });
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

  it.each([
    ["phi-4", 16384],
    ["phi-4-mini-instruct", 131072],
    ["mistral-large-3-675b-instruct", 294912],
    ["Qwen/Qwen3-8B-AWQ", 40960],
  ])("%s serves upstream's context window of %s tokens", (name, context) => {
    expect(findPreset(name)?.contextLength).toBe(context);
  });

  it("asks for the disk upstream's built-in presets ask for", () => {
    expect(findPreset("phi-4")?.diskGiB).toBe(150);
    expect(findPreset("phi-4-mini-instruct")?.diskGiB).toBe(70);
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
