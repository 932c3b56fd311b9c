import { describe, expect, it } from "vitest";

import { csvField } from "./export-audit-events";

describe("csvField", () => {
  it("quotes separators, quotes and line breaks", () => {
    expect(csvField('say "hi", then\nleave')).toBe('"say ""hi"", then\nleave"');
    expect(csvField(null)).toBe("");
    expect(csvField({ a: 1 })).toBe('"{""a"":1}"');
  });

  it("defuses spreadsheet formulas", () => {
    expect(csvField("=1+1")).toBe(`"'=1+1"`);
    expect(csvField("+cmd")).toBe(`"'+cmd"`);
    expect(csvField("@SUM(A1)")).toBe(`"'@SUM(A1)"`);
    expect(csvField("plain")).toBe("plain");
  });
});
