import { describe, expect, it } from "vitest";

import { binaryCacheDir, readPins, requireGo } from "./build-binaries";

describe("build-binaries", () => {
  it("keys the binary cache by every pinned version", () => {
    const pins = readPins();
    expect(pins.kubernetes).toMatch(/^v1\.\d+\.\d+$/);
    expect(binaryCacheDir()).toMatch(
      new RegExp(`kaito-dashboard/bin/k8s-${pins.kubernetes}-kwok-${pins.kwok}-etcd-${pins.etcd}$`),
    );
  });

  it("without Go, says what to install and that KUBECONFIG avoids the build", () => {
    expect(() => requireGo({ PATH: "/nonexistent" }, [])).toThrow(/needs Go .*KUBECONFIG/s);
  });
});
