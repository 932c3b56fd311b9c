import { describe, expect, it } from "vitest";

import { resolveCallbackPath } from "./callback-url";

describe("resolveCallbackPath", () => {
  it("keeps paths on this site with their query", () => {
    expect(resolveCallbackPath("/audit?actor=a%40b.test")).toBe("/audit?actor=a%40b.test");
    expect(resolveCallbackPath("https://dash.example.test/workspaces", "https://dash.example.test")).toBe(
      "/workspaces",
    );
  });

  it("refuses every spelling of another site", () => {
    for (const evil of [
      "//evil.example/x",
      "/\\evil.example/x",
      "\\\\evil.example",
      "https://evil.example/",
      "https:evil.example",
      "javascript:alert(1)",
      " //evil.example",
      "/%2F%2Fevil.example",
    ]) {
      const path = resolveCallbackPath(evil, "https://dash.example.test");
      expect(new URL(path, "https://dash.example.test").origin, evil).toBe("https://dash.example.test");
    }
    expect(resolveCallbackPath("https://dash.example.test.evil.example/", "https://dash.example.test")).toBe("/");
  });

  it("does not loop back to sign-in", () => {
    expect(resolveCallbackPath("/login?callbackUrl=/x")).toBe("/");
    expect(resolveCallbackPath(undefined)).toBe("/");
  });
});
