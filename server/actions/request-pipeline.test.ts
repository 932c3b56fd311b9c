import { describe, expect, it } from "vitest";

import { assertSameOrigin } from "./request-pipeline";

const headers = (values: Record<string, string>) => new Headers(values);

describe("assertSameOrigin", () => {
  it("lets the dashboard's own pages through, directly and behind an ingress", () => {
    expect(() => assertSameOrigin(headers({ origin: "https://kd.example", host: "kd.example" }))).not.toThrow();
    expect(() =>
      assertSameOrigin(headers({ origin: "https://kd.example", host: "web:3000", "x-forwarded-host": "kd.example" })),
    ).not.toThrow();
    // curl and scripts send no Origin; a cross-site browser request always does.
    expect(() => assertSameOrigin(headers({ host: "kd.example" }))).not.toThrow();
  });

  it("refuses another site, a look-alike port, a malformed Origin and a cross-site fetch without one", () => {
    for (const value of <Record<string, string>[]>[
      { origin: "https://evil.example", host: "kd.example" },
      { origin: "https://kd.example:8443", host: "kd.example" },
      { origin: "null", host: "kd.example" },
      { host: "kd.example", "sec-fetch-site": "cross-site" },
    ])
      expect(() => assertSameOrigin(headers(value)), JSON.stringify(value)).toThrow(/Cross-site request refused/);
  });
});
