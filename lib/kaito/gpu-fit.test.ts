import { describe, expect, it } from "vitest";

import { checkGpuFit, describeGpuFit } from "./gpu-fit";
import { findSku, GPU_SKUS } from "./gpu-skus";
import { findPreset, MODEL_PRESETS } from "./presets";

describe("checkGpuFit", () => {
  it("refuses phi-4 on one 16 GiB T4 with upstream's message", () => {
    expect(checkGpuFit("phi-4", "Standard_NC4as_T4_v3", 1)).toEqual({
      kind: "too-small",
      availableGiB: 16,
      requiredGiB: 27.31,
      message:
        "Insufficient total GPU memory: Instance type Standard_NC4as_T4_v3 has a total of 16Gi, but preset phi-4 requires at least 27.31Gi",
    });
  });

  it("counts every node: two 16 GiB nodes hold phi-4", () => {
    expect(checkGpuFit("phi-4", "Standard_NC4as_T4_v3", 2)).toEqual({
      kind: "fits",
      availableGiB: 32,
      requiredGiB: 27.31,
    });
  });

  it("cannot judge an unknown SKU or a model that is not a preset", () => {
    expect(checkGpuFit("phi-4", "Standard_XYZ", 1).kind).toBe("unknown-sku");
    expect(checkGpuFit("Qwen/Qwen3-0.6B", "Standard_NC4as_T4_v3", 1).kind).toBe("unknown-size");
  });
});

describe("the server's check and the create form's indicator", () => {
  it("agree on every preset, SKU and node count", () => {
    for (const preset of MODEL_PRESETS)
      for (const sku of GPU_SKUS)
        for (const nodes of [1, 2, 3]) {
          const server = checkGpuFit(preset.name, sku.name, nodes).kind;
          const form = describeGpuFit(findPreset(preset.name), findSku(sku.name), nodes).kind;
          expect(`${preset.name} ${sku.name} ×${nodes} ${form}`).toBe(`${preset.name} ${sku.name} ×${nodes} ${server}`);
        }
  });
});
