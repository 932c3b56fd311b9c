import { describe, expect, it } from "vitest";

import { seedWorkspace } from "./testing/fixtures";
import { isInternalHost, validateWorkspace } from "./validate-workspace";

const messages = (ws: Parameters<typeof validateWorkspace>[0]) => validateWorkspace(ws).errors.map((e) => e.message);

describe("validateWorkspace", () => {
  it.each([
    "kaito_workspace_phi_3.yaml",
    "kaito_workspace_phi_3_with_adapters.yaml",
    "kaito_workspace_tuning_phi_3.yaml",
  ])("accepts the seed example %s", (file) => expect(messages(seedWorkspace(file))).toEqual([]));

  it("rejects phi-2 with upstream's deprecation message and an unknown preset", () => {
    const ws = seedWorkspace("kaito_workspace_phi_3.yaml");
    ws.inference!.preset!.name = "phi-2";
    expect(messages(ws)).toContain("Model phi-2 is deprecated and no longer supported");
    ws.inference!.preset!.name = "no-such-model";
    expect(messages(ws).join()).toMatch(/Unsupported preset name no-such-model/);
  });

  it("skips the GPU memory check with kaito.sh/bypass-resource-checks", () => {
    const ws = seedWorkspace("kaito_workspace_phi_3.yaml", { annotations: { "kaito.sh/bypass-resource-checks": "" } });
    ws.inference!.preset!.name = "phi-4";
    expect(messages(ws)).toEqual([]);
  });

  it("rejects tuning URLs pointing at loopback, private or metadata hosts, by their literal host", () => {
    const ws = seedWorkspace("kaito_workspace_tuning_phi_3.yaml");
    ws.tuning!.input = {
      urls: [
        "http://169.254.169.254/latest",
        "https://10.0.0.1/x",
        "ftp://example.com/a",
        "https://example.com/ok.parquet",
      ],
    };
    expect(validateWorkspace(ws).errors.map((e) => e.path)).toEqual([
      "tuning.input.urls.0",
      "tuning.input.urls.1",
      "tuning.input.urls.2",
    ]);
  });

  it("requires a push secret for an output image", () => {
    const ws = seedWorkspace("kaito_workspace_tuning_phi_3.yaml");
    delete ws.tuning!.output!.imagePushSecret;
    expect(validateWorkspace(ws).errors.map((e) => e.path)).toContain("tuning.output.imagePushSecret");
  });

  it.each([
    ["127.0.0.1", true],
    ["[::1]", true],
    ["192.168.1.10", true],
    ["metadata.google.internal", true],
    ["huggingface.co", false],
    ["8.8.8.8", false],
  ])("isInternalHost(%s) = %s", (host, internal) => expect(isInternalHost(host)).toBe(internal));
});
