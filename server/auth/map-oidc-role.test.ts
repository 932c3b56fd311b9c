import { describe, expect, it } from "vitest";

import { mapOidcRole } from "./map-oidc-role";

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
