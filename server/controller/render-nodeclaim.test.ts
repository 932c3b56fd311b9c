import { describe, expect, it } from "vitest";

import { nodeClaimName, renderNodeClaim } from "./render-nodeclaim";
import { seedWorkspace } from "./testing/fixtures";

describe("renderNodeClaim", () => {
  const ws = seedWorkspace("kaito_workspace_phi_3.yaml");

  it("renders the seed's NodeClaim the way upstream Kaito does", () => {
    const claim = renderNodeClaim(ws, 0);
    expect(claim.metadata.name).toMatch(/^ws[0-9a-f]{9}$/);
    expect(claim.metadata.labels).toEqual({
      apps: "phi-3",
      "karpenter.sh/nodepool": "kaito",
      "kaito.sh/workspace": "workspace-phi-3-mini",
      "kaito.sh/workspacenamespace": "default",
      "kaito-dashboard.dev/workspace-uid": ws.metadata.uid,
    });
    expect(claim.metadata.annotations).toEqual({ "karpenter.sh/do-not-disrupt": "true" });
    expect(claim.spec.nodeClassRef).toEqual({ group: "kaito.sh", kind: "KaitoNodeClass", name: "default" });
    expect(claim.spec.taints).toEqual([{ key: "sku", value: "gpu", effect: "NoSchedule" }]);
    expect(claim.spec.requirements).toContainEqual({
      key: "node.kubernetes.io/instance-type",
      operator: "In",
      values: ["Standard_NC6s_v3"],
    });
    expect(claim.spec.requirements).toContainEqual({ key: "karpenter.sh/nodepool", operator: "In", values: ["kaito"] });
    expect(claim.spec.requirements).toContainEqual({ key: "kubernetes.io/os", operator: "In", values: ["linux"] });
    expect(claim.spec.resources?.requests?.storage).toBe("80Gi");
  });

  it("gives the same slot the same name (a restarted worker cannot duplicate) and other slots other names", () => {
    expect(nodeClaimName("uid-a", 0)).toBe(nodeClaimName("uid-a", 0));
    expect(nodeClaimName("uid-a", 1)).not.toBe(nodeClaimName("uid-a", 0));
    expect(nodeClaimName("uid-b", 0)).not.toBe(nodeClaimName("uid-a", 0));
  });

  it("falls back to 1024Gi of storage for a model that is not a preset", () => {
    const hf = { ...ws, inference: { preset: { name: "Qwen/Qwen3-0.6B" } } };
    expect(renderNodeClaim(hf, 0).spec.resources?.requests?.storage).toBe("1024Gi");
  });
});
