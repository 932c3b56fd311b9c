import { describe, expect, it } from "vitest";

import { compareBaseModels, modelFamily } from "./base-model-compatibility";

describe("compareBaseModels", () => {
  it("matches a HuggingFace id with the preset that serves it, whatever the case", () => {
    expect(compareBaseModels("microsoft/Phi-3-mini-4k-instruct", "phi-3-mini-4k-instruct")).toBe("same");
    expect(compareBaseModels("phi-3-mini-4k-instruct", "microsoft/phi-3-mini-4k-instruct")).toBe("same");
  });

  it("tells a Phi-3-mini adapter from a phi-4 Workspace", () => {
    expect(compareBaseModels("microsoft/Phi-3-mini-4k-instruct", "phi-4")).toBe("different");
  });

  it("calls the 4k and 128k Phi-3-mini siblings the same family, not the same model", () => {
    expect(compareBaseModels("microsoft/Phi-3-mini-4k-instruct", "phi-3-mini-128k-instruct")).toBe("same-family");
  });

  it("cannot tell for a Workspace without a preset", () => {
    expect(compareBaseModels("microsoft/Phi-3-mini-4k-instruct", null)).toBe("unknown");
  });

  it("names families without tuning and context suffixes", () => {
    expect(modelFamily("microsoft/Phi-3.5-mini-instruct")).toBe("phi-3.5-mini");
    expect(modelFamily("microsoft/phi-4")).toBe("phi-4");
    expect(modelFamily("google/gemma-3-4b-it")).toBe("gemma-3-4b");
  });
});
