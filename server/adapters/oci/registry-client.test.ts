import { describe, expect, it } from "vitest";
import { parseChallenge } from "./registry-client";

describe("parseChallenge", () => {
  it("reads a Bearer challenge's realm and service", () => {
    expect(
      parseChallenge(
        'Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:a/b:pull"',
      ),
    ).toEqual({ scheme: "bearer", realm: "https://auth.docker.io/token", service: "registry.docker.io" });
  });

  it("treats Basic, a Bearer without realm and no header as basic", () => {
    expect(parseChallenge('Basic realm="x"')).toEqual({ scheme: "basic" });
    expect(parseChallenge('Bearer service="x"')).toEqual({ scheme: "basic" });
    expect(parseChallenge(null)).toEqual({ scheme: "basic" });
  });
});
