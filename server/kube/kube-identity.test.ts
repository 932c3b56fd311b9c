import { describe, expect, it } from "vitest";

import { kubeIdentityOf } from "./kube-identity";

describe("kubeIdentityOf", () => {
  it("names a local account kaito-dashboard:<email> in its role's group", () => {
    expect(kubeIdentityOf({ email: "ana@example.com", role: "operator" })).toEqual({
      user: "kaito-dashboard:ana@example.com",
      groups: ["kaito-dashboard:operators"],
    });
  });

  it("names a single sign-on account by its email, with the provider's groups after the role group", () => {
    expect(
      kubeIdentityOf({ email: "bo@example.com", role: "viewer", externalId: "https://idp|123", oidcGroups: ["ml-a"] }),
    ).toEqual({ user: "bo@example.com", groups: ["kaito-dashboard:viewers", "ml-a"] });
  });

  it("never passes on a reserved system: group from a provider's claim", () => {
    const identity = kubeIdentityOf({
      email: "eve@example.com",
      role: "viewer",
      externalId: "https://idp|666",
      oidcGroups: ["system:masters", "ml-a", "ml-a"],
    });
    expect(identity.groups).toEqual(["kaito-dashboard:viewers", "ml-a"]);
  });
});
