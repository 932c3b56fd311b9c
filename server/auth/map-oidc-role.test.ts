import { describe, expect, it } from "vitest";

import { mapOidcRole, oidcGroupsOf } from "./map-oidc-role";

const config = {
  OIDC_ROLE_CLAIM: "groups",
  OIDC_ADMIN_VALUES: ["platform-admins"],
  OIDC_OPERATOR_VALUES: ["ml-engineers"],
  OIDC_VIEWER_VALUES: [],
  OIDC_DEFAULT_ROLE: "viewer" as const,
};

describe("mapOidcRole", () => {
  it("gives the highest role any group grants", () => {
    expect(mapOidcRole({ groups: ["ml-engineers", "platform-admins"] }, config)).toBe("admin");
    expect(mapOidcRole({ groups: ["ml-engineers"] }, config)).toBe("operator");
  });

  it("falls back to the default role, or refuses when the default is none", () => {
    expect(mapOidcRole({ groups: ["sales"] }, config)).toBe("viewer");
    expect(mapOidcRole({}, { ...config, OIDC_DEFAULT_ROLE: "none" })).toBeNull();
  });

  it("reads nested claims and single string values", () => {
    const nested = { ...config, OIDC_ROLE_CLAIM: "realm_access.roles" };
    expect(mapOidcRole({ realm_access: { roles: ["ml-engineers"] } }, nested)).toBe("operator");
    expect(mapOidcRole({ role: "platform-admins" }, { ...config, OIDC_ROLE_CLAIM: "role" })).toBe("admin");
  });
});

describe("oidcGroupsOf", () => {
  it("takes the groups claim, deduplicated, from a nested path too", () => {
    expect(oidcGroupsOf({ groups: ["team-a", "team-a", "ml"] }, { OIDC_GROUPS_CLAIM: "groups" })).toEqual([
      "team-a",
      "ml",
    ]);
    expect(oidcGroupsOf({ realm: { groups: "team-b" } }, { OIDC_GROUPS_CLAIM: "realm.groups" })).toEqual(["team-b"]);
    expect(oidcGroupsOf({}, { OIDC_GROUPS_CLAIM: "groups" })).toEqual([]);
  });

  it("drops empty, oversized and multi-line names and keeps at most 200", () => {
    const groups = ["", "x".repeat(257), "a\nb", "ok", ...Array.from({ length: 300 }, (_, i) => `g${i}`)];
    const kept = oidcGroupsOf({ groups }, { OIDC_GROUPS_CLAIM: "groups" });
    expect(kept[0]).toBe("ok");
    expect(kept).toHaveLength(200);
  });
});
