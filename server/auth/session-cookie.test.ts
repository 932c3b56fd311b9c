import { describe, expect, it } from "vitest";

import { readSessionCookie } from "./session-cookie";

describe("readSessionCookie", () => {
  it("prefers the secure cookie and joins chunked tokens", () => {
    expect(readSessionCookie("a=1; __Secure-authjs.session-token=abc; authjs.session-token=def")).toEqual({
      name: "__Secure-authjs.session-token",
      value: "abc",
    });
    expect(readSessionCookie("authjs.session-token.0=ab; authjs.session-token.1=cd")).toEqual({
      name: "authjs.session-token",
      value: "abcd",
    });
  });

  it("ignores missing and malformed cookies", () => {
    expect(readSessionCookie(undefined)).toBeNull();
    expect(readSessionCookie("other=1; broken")).toBeNull();
    expect(readSessionCookie("authjs.session-token=%E0%A4%A")).toBeNull();
  });
});
