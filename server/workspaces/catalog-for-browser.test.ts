import { describe, expect, it } from "vitest";

import { findSku } from "@/lib/kaito/gpu-skus";

import { suggestInstanceType } from "./catalog-for-browser";

describe("the instance type a new workspace starts with", () => {
  it("is the cheapest size upstream v0.12 still takes, not a cheaper T4 that it refuses", () => {
    const suggested = suggestInstanceType("phi-3-mini-4k-instruct");
    expect(findSku(suggested)?.deprecatedUpstream).toBe(false);
    expect(suggested).toBe("g6.xlarge");
  });

  it("fits the model on one node", () => {
    expect(suggestInstanceType("gpt-oss-120b")).toBe("Standard_NC48ads_A100_v4");
  });

  it("is the seed's SKU for a model of unknown size", () => {
    expect(suggestInstanceType("Qwen/Qwen3-0.6B")).toBe("Standard_NC6s_v3");
  });
});
