import { describe, expect, it } from "vitest";

import { describeConflict, isControlledBy, resourceConflict } from "./check-ownership";
import { computeWorkspaceStatus } from "./compute-workspace-status";
import { evaluateNodes, ownsNodeClaim } from "./evaluate-nodes";
import { nodeClaimName } from "./render-nodeclaim";
import { readyNodeClaim, seedWorkspace } from "./testing/fixtures";
import { validateWorkspace } from "./validate-workspace";

const ws = seedWorkspace("kaito_workspace_phi_3.yaml");
const predecessor = seedWorkspace("kaito_workspace_phi_3.yaml", { uid: "3f2c8a1e-0000-4000-8000-0000000000ff" });

describe("isControlledBy", () => {
  const ref = { apiVersion: "kaito.sh/v1beta1", kind: "Workspace", name: ws.metadata.name, controller: true };

  it("accepts only a controller ownerReference carrying this Workspace's uid", () => {
    expect(isControlledBy(ws, { ownerReferences: [{ ...ref, uid: ws.metadata.uid! }] })).toBe(true);
    expect(isControlledBy(ws, { ownerReferences: [{ ...ref, uid: predecessor.metadata.uid! }] })).toBe(false);
    expect(isControlledBy(ws, { ownerReferences: [{ ...ref, uid: ws.metadata.uid!, controller: false }] })).toBe(false);
    expect(isControlledBy(ws, { name: "kube-dns" })).toBe(false);
  });

  it("names the object and its controller in the condition message", () => {
    const conflict = resourceConflict("Service", {
      name: "kube-dns",
      namespace: "kube-system",
      ownerReferences: [{ apiVersion: "v1", kind: "Addon", name: "dns", uid: "x", controller: true }],
    });
    expect(describeConflict(conflict)).toBe(
      "Service kube-system/kube-dns already exists and is controlled by Addon dns: left untouched; rename the Workspace or remove that object",
    );
  });
});

describe("ownsNodeClaim", () => {
  it("knows its claims by the Workspace uid, so a recreated Workspace of the same name adopts none", () => {
    const claim = readyNodeClaim(nodeClaimName(predecessor.metadata.uid!, 0), predecessor, "n1");
    expect(ownsNodeClaim(predecessor, claim)).toBe(true);
    expect(ownsNodeClaim(ws, claim)).toBe(false);
    const n = evaluateNodes({ ws, nodes: [], nodeClaims: [claim], mode: "nodeclaim" });
    expect(n.ownClaims).toEqual([]);
    expect(n.claimsWanted).toBe(1);
  });

  it("takes a claim without the uid label (upstream Kaito's, an older release's) only when made after the Workspace", () => {
    const unlabelled = (creationTimestamp: string) => {
      const claim = readyNodeClaim("ws0123abcde", ws, "n1");
      delete claim.metadata.labels!["kaito-dashboard.dev/workspace-uid"];
      claim.metadata.creationTimestamp = creationTimestamp as unknown as Date;
      return claim;
    };
    expect(ownsNodeClaim(ws, unlabelled("2026-01-01T00:00:10Z"))).toBe(true);
    expect(ownsNodeClaim(ws, unlabelled("2025-12-31T23:00:00Z"))).toBe(false);
  });
});

describe("a conflict on the status", () => {
  it("sets ResourceReady False with reason ResourceConflict and the message, and the Workspace is not Ready", () => {
    const message = describeConflict({ kind: "Service", namespace: "default", name: ws.metadata.name });
    const status = computeWorkspaceStatus({
      ws,
      validation: validateWorkspace(ws),
      conflict: message,
      pods: [],
      now: "2026-01-01T00:05:00Z",
    });
    expect(status.conditions?.find((c) => c.type === "ResourceReady")).toMatchObject({
      status: "False",
      reason: "ResourceConflict",
      message,
    });
    expect(status.conditions?.find((c) => c.type === "WorkspaceSucceeded")?.status).toBe("False");
    expect(status.state).toBe("Pending");
  });
});
