import { describe, expect, it } from "vitest";

import { evaluateNodes } from "./evaluate-nodes";
import { workspaceNodeAffinity } from "./render-inference-statefulset";
import { nodeClaimLabels } from "./render-nodeclaim";
import { gpuNode, seedWorkspace } from "./testing/fixtures";
import { validateWorkspace } from "./validate-workspace";

const REFUSAL = "matchLabels must contain at least one non-reserved label";

function withSelector(matchLabels: Record<string, string>) {
  const ws = seedWorkspace("kaito_workspace_phi_3.yaml");
  ws.resource!.labelSelector = { matchLabels };
  return ws;
}

describe("Kaito's reserved selector labels", () => {
  it.each([
    [{ "kaito.sh/workspace": "other" }],
    [{ "kaito.sh/workspacenamespace": "team-b", "karpenter.kaito.sh/workspace-name": "x" }],
    [{ "karpenter.kaito.sh/inferenceset": "set", "kaito.sh/ragengine": "rag" }],
    [{}],
  ])("refuses matchLabels %j with upstream's message at the field", (matchLabels) => {
    expect(validateWorkspace(withSelector(matchLabels)).errors).toContainEqual({
      path: "resource.labelSelector.matchLabels",
      message: REFUSAL,
      severity: "error",
    });
  });

  it("accepts a selector with one label of the user's own beside reserved ones", () => {
    const ws = withSelector({ apps: "phi-3", "kaito.sh/workspace": "other" });
    expect(validateWorkspace(ws).errors).toEqual([]);
  });

  it("ignores reserved keys when matching existing nodes", () => {
    const ws = withSelector({ apps: "phi-3", "karpenter.kaito.sh/workspace-name": "someone-else" });
    const node = gpuNode("mine", { apps: "phi-3", "node.kubernetes.io/instance-type": "Standard_NC6s_v3" });
    const nodes = evaluateNodes({ ws, nodes: [node], nodeClaims: [], mode: "nodeclaim" });
    expect(nodes.workerNodes).toEqual(["mine"]);
    expect(nodes.claimsWanted).toBe(0);
  });

  it("never copies a reserved key onto a new NodeClaim or into the pods' node affinity", () => {
    const ws = withSelector({
      apps: "phi-3",
      "kaito.sh/workspace": "other",
      "karpenter.kaito.sh/inferenceset": "set",
    });
    const labels = nodeClaimLabels(ws);
    expect(labels["kaito.sh/workspace"]).toBe(ws.metadata.name);
    expect(labels).not.toHaveProperty("karpenter.kaito.sh/inferenceset");
    expect(labels.apps).toBe("phi-3");
    const terms = workspaceNodeAffinity(ws)?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
    expect(terms?.nodeSelectorTerms[0].matchExpressions).toEqual([{ key: "apps", operator: "In", values: ["phi-3"] }]);
  });
});
