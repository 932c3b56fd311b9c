import { describe, expect, it } from "vitest";

import { resourceOfPath } from "./metrics";

describe("resourceOfPath", () => {
  it.each([
    ["/apis/apps/v1/namespaces/a/statefulsets/b", "statefulsets"],
    ["/apis/kaito.sh/v1beta1/namespaces/a/workspaces/b/status", "workspaces/status"],
    ["/api/v1/namespaces/a/events", "events"],
    ["/apis/karpenter.sh/v1/nodeclaims", "nodeclaims"],
    ["/apis/karpenter.sh/v1/nodeclaims/ws123", "nodeclaims"],
    ["/api/v1/nodes", "nodes"],
  ])("%s → %s", (path, resource) => expect(resourceOfPath(path)).toBe(resource));
});
