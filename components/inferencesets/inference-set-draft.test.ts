import { describe, expect, it } from "vitest";

import { readDraft, setDraftValue } from "../workspaces/workspace-draft";

import {
  inferenceSetPath,
  inferenceSetYamlToWorkspace,
  viewIssues,
  workspaceView,
  workspaceYamlToInferenceSet,
  type InferenceSetDraft,
} from "./inference-set-draft";

const workspace = `apiVersion: kaito.sh/v1beta1
kind: Workspace
metadata:
  name: phi-4
  namespace: team-a
  annotations:
    kaito.sh/runtime: transformers
resource:
  count: 2
  instanceType: Standard_NC24ads_A100_v4
  labelSelector:
    matchLabels:
      apps: phi-4
inference:
  preset:
    name: phi-4-mini-instruct
`;

describe("InferenceSet draft", () => {
  it("turns a Workspace into a set of one with the same model, selector and child annotations", () => {
    const set = readDraft(workspaceYamlToInferenceSet(workspace)!).object as InferenceSetDraft;
    expect(set).toEqual({
      apiVersion: "kaito.sh/v1beta1",
      kind: "InferenceSet",
      metadata: { name: "phi-4", namespace: "team-a" },
      spec: {
        replicas: 1,
        labelSelector: { matchLabels: { apps: "phi-4" } },
        template: {
          metadata: { annotations: { "kaito.sh/runtime": "transformers" } },
          resource: { instanceType: "Standard_NC24ads_A100_v4" },
          inference: { preset: { name: "phi-4-mini-instruct" } },
        },
      },
    });
    // …and back, less what a template cannot hold (the node count).
    const back = readDraft(inferenceSetYamlToWorkspace(workspaceYamlToInferenceSet(workspace)!)!).object;
    expect(back).toMatchObject({
      kind: "Workspace",
      metadata: { name: "phi-4" },
      resource: { labelSelector: { matchLabels: { apps: "phi-4" } } },
    });
    expect(back?.resource?.count).toBeUndefined();
  });

  it("lets the Workspace form's fields write into the set", () => {
    let yaml = workspaceYamlToInferenceSet(workspace)!;
    const write = (path: (string | number)[], value: unknown) => {
      const target = inferenceSetPath(path);
      if (target) yaml = setDraftValue(yaml, target, value);
    };
    write(["resource", "instanceType"], "Standard_NC96ads_A100_v4");
    write(["resource", "labelSelector", "matchLabels"], { apps: "other" });
    write(["metadata", "annotations", "kaito.sh/enablelb"], "True");
    write(["metadata", "name"], "renamed");
    write(["resource", "count"], 3);
    const set = readDraft(yaml).object as InferenceSetDraft;
    expect(set.spec?.template?.resource?.instanceType).toBe("Standard_NC96ads_A100_v4");
    expect(set.spec?.labelSelector).toEqual({ matchLabels: { apps: "other" } });
    expect(set.spec?.template?.metadata?.annotations?.["kaito.sh/enablelb"]).toBe("True");
    expect(set.metadata?.name).toBe("renamed");
    expect(yaml).not.toContain("count");
    expect(workspaceView(set).resource?.instanceType).toBe("Standard_NC96ads_A100_v4");
  });

  it("shows a template's problem at the Workspace field and keeps the set's own paths", () => {
    const issue = { line: 3, message: "m", severity: "error" as const };
    expect(
      viewIssues([
        { ...issue, path: "spec.template.resource.instanceType" },
        { ...issue, path: "spec.labelSelector.matchLabels" },
        { ...issue, path: "spec.replicas" },
      ]).map((i) => i.path),
    ).toEqual(["resource.instanceType", "resource.labelSelector.matchLabels", "spec.replicas"]);
  });
});
