import { describe, expect, it } from "vitest";

import {
  countErrors,
  fieldIssues,
  issuesFromFieldErrors,
  mergeIssues,
  withSyntaxError,
  type Issue,
} from "./workspace-issues";

const unknownPreset: Issue = {
  path: "inference.preset.name",
  line: 13,
  message: "Unsupported preset name phi-9000",
  severity: "error",
};

describe("workspace issues", () => {
  it("shows a problem at the deepest field that holds it, and only there", () => {
    const issues = fieldIssues([unknownPreset, { ...unknownPreset, path: "inference", message: "Either …" }]);
    expect(issues.errorsAt("inference.preset.name")).toEqual(["Unsupported preset name phi-9000"]);
    expect(issues.errorsAt("inference")).toEqual(["Either …"]);
  });

  it("keeps each adapter's problems at its own row", () => {
    const issues = fieldIssues([{ ...unknownPreset, path: "inference.adapters.1.source.name", message: "bad" }]);
    expect(issues.errorsAt("inference.adapters.1")).toEqual(["bad"]);
    expect(issues.errorsAt("inference.adapters.0")).toEqual([]);
    expect(issues.errorsAt("inference")).toEqual([]);
  });

  it("merges a refused submit's errors with the live ones without repeating them", () => {
    const submitted = issuesFromFieldErrors(
      { "inference.preset.name": [unknownPreset.message], _: ["Line 2: YAML syntax: bad indentation"] },
      "a: 1\n",
    );
    expect(submitted[1]).toMatchObject({ path: "", line: 2, message: "YAML syntax: bad indentation" });
    const all = mergeIssues([unknownPreset], submitted);
    expect(all).toHaveLength(2);
    expect(countErrors(all)).toBe(2);
  });

  it("counts the editor's syntax error once, whether or not the server has reported it yet", () => {
    expect(countErrors(withSyntaxError([], "bad indentation"))).toBe(1);
    const reported: Issue = { path: "", line: 3, message: "YAML syntax: bad indentation", severity: "error" };
    expect(withSyntaxError([reported], "bad indentation")).toEqual([reported]);
  });
});
