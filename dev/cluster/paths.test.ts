import path from "node:path";

import { describe, expect, it } from "vitest";

import { isLocalKubeconfig, kubeconfigPath } from "./paths";

describe("isLocalKubeconfig", () => {
  it("takes an unset KUBECONFIG and the local cluster's own file, however it is spelled, as the local cluster", () => {
    expect(isLocalKubeconfig(undefined)).toBe(true);
    expect(isLocalKubeconfig("")).toBe(true);
    expect(isLocalKubeconfig(kubeconfigPath)).toBe(true);
    expect(isLocalKubeconfig(path.relative(process.cwd(), kubeconfigPath))).toBe(true);
    expect(isLocalKubeconfig(`${path.dirname(kubeconfigPath)}/./kubeconfig`)).toBe(true);
  });

  it("takes any other kubeconfig as a cluster the user chose", () => {
    expect(isLocalKubeconfig("/home/someone/.kube/config")).toBe(false);
    expect(isLocalKubeconfig(`${kubeconfigPath}:/home/someone/.kube/config`)).toBe(false);
  });
});
