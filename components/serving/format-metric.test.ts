import { describe, expect, it } from "vitest";

import { formatMetric } from "./format-metric";

describe("formatMetric", () => {
  it("reads each unit the way people say it", () => {
    expect(formatMetric(0.152, "seconds")).toBe("152 ms");
    expect(formatMetric(2.5, "seconds")).toBe("2.50 s");
    expect(formatMetric(0.43, "ratio")).toBe("43 %");
    expect(formatMetric(87.4, "percent")).toBe("87 %");
    expect(formatMetric(14746, "MiB")).toBe("14.4 GiB");
    expect(formatMetric(3.25, "tokens/s")).toBe("3.3 tok/s");
    expect(formatMetric(null, "requests")).toBe("–");
    expect(formatMetric(NaN, "seconds")).toBe("–");
  });
});
