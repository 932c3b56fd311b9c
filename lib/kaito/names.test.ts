import { describe, expect, it } from "vitest";

import { DNS_LABEL_SOURCE, DNS_SUBDOMAIN_SOURCE, isDnsLabel, isDnsSubdomain } from "./names";

describe("isDnsLabel", () => {
  it.each(["a", "phi-3", "0x", "a".repeat(63)])("accepts %s", (name) => expect(isDnsLabel(name)).toBe(true));
  it.each(["", "-a", "a-", "A", "a.b", "a_b", "a".repeat(64), "a b"])("refuses %j", (name) =>
    expect(isDnsLabel(name)).toBe(false),
  );
});

describe("isDnsSubdomain", () => {
  it.each(["a", "support-bot.v1", "a.b.c", `${"a".repeat(63)}.${"b".repeat(63)}`])("accepts %s", (name) =>
    expect(isDnsSubdomain(name)).toBe(true),
  );
  it.each(["", ".a", "a.", "a..b", "-a", "a-.b", "A.b", `${"a.".repeat(127)}a`])("refuses %j", (name) =>
    expect(isDnsSubdomain(name)).toBe(false),
  );
});

describe("sources for HTML pattern attributes", () => {
  // Browsers compile `pattern` with the v flag, where an unescaped leading '-' in a class is a
  // syntax error and the whole pattern would be ignored.
  it.each([DNS_LABEL_SOURCE, DNS_SUBDOMAIN_SOURCE])("compile with the v flag: %s", (source) => {
    expect(new RegExp(`^(?:${source})$`, "v").test("my-adapter.v1")).toBe(source === DNS_SUBDOMAIN_SOURCE);
  });
});
