import { describe, expect, it } from "vitest";
import { formatStrength } from "./attach-adapter";

describe("formatStrength", () => {
  it.each([
    [1, "1.0"],
    [0, "0.0"],
    [0.5, "0.5"],
    [0.25, "0.25"],
    [0.333, "0.33"],
  ])("%s → %s", (value, text) => expect(formatStrength(value)).toBe(text));

  it.each([-0.1, 1.01, Number.NaN])("refuses %s", (value) => {
    expect(() => formatStrength(value)).toThrow(/between 0 and 1/);
  });
});
