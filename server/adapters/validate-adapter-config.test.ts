import { describe, expect, it } from "vitest";
import { adapterConfigJson } from "./testing/make-adapter-files";
import { validateAdapterConfig } from "./validate-adapter-config";

describe("validateAdapterConfig", () => {
  it("accepts a PEFT LoRA config matching the preset without warnings", () => {
    const { config, warnings } = validateAdapterConfig(adapterConfigJson(), "phi-3-mini-4k-instruct");
    expect(config.r).toBe(8);
    expect(warnings).toEqual([]);
  });

  it("warns when the base model is not the chosen preset's HuggingFace id", () => {
    const { warnings } = validateAdapterConfig(adapterConfigJson(), "mistral-7b");
    expect(warnings[0]).toContain("mistralai/Mistral-7B-v0.3");
  });

  it("accepts a regular-expression string for target_modules", () => {
    expect(() => validateAdapterConfig(adapterConfigJson({ target_modules: ".*proj" }), "phi-4")).not.toThrow();
  });

  it.each([
    ["{not json", /not valid JSON/],
    ["[1,2]", /must be a JSON object/],
    [adapterConfigJson({ peft_type: "PREFIX_TUNING" }), /peft_type must be "LORA", found "PREFIX_TUNING"/],
    [adapterConfigJson({ peft_type: undefined }), /found nothing/],
    [adapterConfigJson({ r: 0 }), /r must be a positive integer/],
    [adapterConfigJson({ r: 2.5 }), /r must be a positive integer/],
    [adapterConfigJson({ lora_alpha: "16" }), /lora_alpha/],
    [adapterConfigJson({ target_modules: [] }), /target_modules/],
    [adapterConfigJson({ target_modules: ["q_proj", 3] }), /target_modules/],
    [adapterConfigJson({ base_model_name_or_path: "" }), /base_model_name_or_path/],
  ])("rejects %s", (text, message) => {
    expect(() => validateAdapterConfig(text, "phi-4")).toThrow(message);
  });

  it("names the file as the field at fault", () => {
    try {
      validateAdapterConfig("{", "phi-4");
    } catch (error) {
      expect((error as { field: string }).field).toBe("adapter_config.json");
    }
    expect.assertions(1);
  });
});
