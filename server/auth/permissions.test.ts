import { describe, expect, it } from "vitest";

import { can, PERMISSIONS, ROLES } from "./permissions";

describe("permissions", () => {
  it("grants exactly the contract's matrix", () => {
    const matrix = Object.fromEntries(ROLES.map((role) => [role, PERMISSIONS.filter((p) => can(role, p))]));
    expect(matrix).toEqual({
      viewer: ["read", "inference:use"],
      operator: ["read", "inference:use", "workspace:write", "adapter:write"],
      admin: ["read", "inference:use", "workspace:write", "adapter:write", "admin"],
    });
  });
});
