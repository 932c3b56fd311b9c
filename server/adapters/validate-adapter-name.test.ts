import { describe, expect, it } from "vitest";
import { validateAdapterName } from "./validate-adapter-name";

describe("validateAdapterName", () => {
  it.each(["my-lora", "phi3.support-v2", "a", "a1"])("accepts %s", (name) => {
    expect(validateAdapterName(name)).toBe(name);
  });

  it.each(["", "My-Lora", "-lead", "trail-", "under_score", "a..b", "x".repeat(57)])("rejects %j", (name) => {
    expect(() => validateAdapterName(name)).toThrow(/Name/);
  });
});
