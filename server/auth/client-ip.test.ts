import { describe, expect, it } from "vitest";

import { resolveClientIp } from "./client-ip";

describe("resolveClientIp", () => {
  it("uses the TCP peer and ignores X-Forwarded-For when no proxy is trusted", () => {
    expect(resolveClientIp("203.0.113.7", "10.9.9.9", 0)).toBe("203.0.113.7");
    expect(resolveClientIp("::ffff:203.0.113.7", undefined, 0)).toBe("203.0.113.7");
  });

  it("takes the address the outermost trusted proxy saw, not what the client wrote before it", () => {
    // The client forged "1.1.1.1"; the ingress (1 hop) appended the real peer 198.51.100.4.
    expect(resolveClientIp("10.0.0.2", "1.1.1.1, 198.51.100.4", 1)).toBe("198.51.100.4");
    expect(resolveClientIp("10.0.0.2", ["1.1.1.1, 198.51.100.4", "10.0.0.9"], 2)).toBe("198.51.100.4");
  });

  it("stops at the leftmost address when fewer proxies were passed, and at a malformed entry", () => {
    expect(resolveClientIp("10.0.0.2", "198.51.100.4", 3)).toBe("198.51.100.4");
    expect(resolveClientIp("10.0.0.2", undefined, 1)).toBe("10.0.0.2");
    expect(resolveClientIp("10.0.0.2", "not-an-ip", 1)).toBe("10.0.0.2");
    expect(resolveClientIp(undefined, undefined, 0)).toBeNull();
  });
});
