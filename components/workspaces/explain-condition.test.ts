import { describe, expect, it } from "vitest";

import { explainCondition } from "./explain-condition";

describe("explainCondition", () => {
  it("explains upstream's reasons as upstream spells them", () => {
    expect(explainCondition("workspaceResourceStatusSuccess", "True")).toBe(
      "Compute is in place: nodes with GPUs are ready.",
    );
  });

  it("explains a conflict over an object and a pod refused at admission", () => {
    expect(explainCondition("ResourceConflict", "False")).toMatch(/belongs to someone else/);
    expect(explainCondition("FailedCreate", "False")).toMatch(/refused to create the pod/);
  });
});
