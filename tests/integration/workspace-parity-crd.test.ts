// Kaito v0.12 rules that the Workspace CRD enforces on the real apiserver, so `kubectl apply`
// users meet upstream's refusal word for word (docs/kaito-api.md §2).
import { describe, expect, it } from "vitest";

import { kubectl, useTestNamespace } from "../support/cluster";

const ns = useTestNamespace("wk-parity");

const workspace = (version: "v1alpha1" | "v1beta1", name: string, matchLabels: Record<string, string>) => ({
  apiVersion: `kaito.sh/${version}`,
  kind: "Workspace",
  metadata: { name },
  resource: { instanceType: "Standard_NC24ads_A100_v4", labelSelector: { matchLabels } },
  inference: { preset: { name: "phi-4-mini-instruct" } },
});

const apply = (object: unknown) => kubectl(["apply", "-n", ns.name, "-f", "-"], JSON.stringify(object));

describe("reserved selector labels", () => {
  it.each(["v1alpha1", "v1beta1"] as const)(
    "%s: a matchLabels made only of Kaito's reserved keys is refused with upstream's message",
    (version) => {
      const refused = apply(
        workspace(version, `reserved-${version}`, {
          "kaito.sh/workspace": "someone-else",
          "karpenter.kaito.sh/workspace-namespace": "team-b",
        }),
      );
      expect(refused.status).not.toBe(0);
      expect(refused.stderr).toContain("resource.labelSelector.matchLabels");
      expect(refused.stderr).toContain("matchLabels must contain at least one non-reserved label");
      expect(kubectl(["get", "wk", `reserved-${version}`, "-n", ns.name]).status).not.toBe(0);
    },
  );

  it("accepts reserved keys beside a label of the user's own", () => {
    const accepted = apply(workspace("v1beta1", "mixed", { apps: "mixed", "kaito.sh/workspace": "someone-else" }));
    expect(accepted.stderr).toBe("");
    expect(accepted.status).toBe(0);
  });
});
