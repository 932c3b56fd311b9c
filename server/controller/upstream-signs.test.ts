import { readFileSync } from "node:fs";
import path from "node:path";

import type { V1Deployment, V1Lease, V1ObjectMeta } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

import type { Workspace } from "@/server/kube/types/workspace";

import { trimWorkspace } from "./trim-cached-objects";
import { findUpstreamSigns, foreignStatusManager, refusalMessage } from "./upstream-signs";

const NOW = Date.parse("2026-12-06T10:00:00Z");

const deployment = (replicas?: number): V1Deployment => ({
  metadata: {
    name: "kaito-workspace",
    namespace: "kaito-workspace",
    labels: { "app.kubernetes.io/name": "workspace", "app.kubernetes.io/instance": "kaito-workspace" },
  },
  spec: { replicas, selector: {}, template: {} },
});

const lease = (renewedSecondsAgo: number, holder = "kaito-workspace-7d9f_1a2b"): V1Lease => ({
  metadata: { name: "ef60f9b0.io", namespace: "kube-system" },
  spec: {
    holderIdentity: holder,
    leaseDurationSeconds: 15,
    renewTime: new Date(NOW - renewedSecondsAgo * 1000).toISOString() as unknown as Date,
  },
});

describe("findUpstreamSigns", () => {
  it("finds upstream's chart Deployment and its held Lease", () => {
    const signs = findUpstreamSigns({ deployments: [deployment(1)], leases: [lease(3)], now: NOW });
    expect(signs.map((s) => `${s.kind} ${s.namespace}/${s.name}`)).toEqual([
      "Deployment kaito-workspace/kaito-workspace",
      "Lease kube-system/ef60f9b0.io",
    ]);
    expect(refusalMessage(signs)).toMatch(/CONTROLLER_MODE=observe.*controller\.mode=observe/);
  });

  it("ignores a Deployment scaled to zero and a Lease nobody renewed for two lease durations", () => {
    expect(findUpstreamSigns({ deployments: [deployment(0)], leases: [lease(31)], now: NOW })).toEqual([]);
    expect(findUpstreamSigns({ deployments: [], leases: [lease(3, "")], now: NOW })).toEqual([]);
  });

  it("counts a Deployment without replicas as one (the apiserver's default)", () => {
    expect(findUpstreamSigns({ deployments: [deployment()], leases: [], now: NOW })[0].detail).toBe("1 replica");
  });
});

describe("foreignStatusManager", () => {
  const fixture = parse(
    readFileSync(path.resolve(import.meta.dirname, "../../tests/fixtures/upstream-kaito-v012/ready-phi3.yaml"), "utf8"),
  ) as { items: { kind: string; metadata: V1ObjectMeta }[] };
  const upstreamWorkspace = fixture.items.find((i) => i.kind === "Workspace")!.metadata;

  it("names upstream's manager on a Workspace upstream's controller wrote, also from the controller's trimmed cache", () => {
    expect(foreignStatusManager(upstreamWorkspace)).toBe("kaito-workspace");
    const cached = trimWorkspace({ metadata: upstreamWorkspace } as Workspace);
    expect(foreignStatusManager(cached.metadata)).toBe("kaito-workspace");
    expect(cached.metadata.managedFields?.map((m) => m.manager)).toEqual(["kaito-workspace"]);
  });

  it("is undefined when only this project's controller wrote the status (by name, or as the nameless 'unknown')", () => {
    const ours = (manager: string): V1ObjectMeta => ({
      managedFields: [
        { manager: "kubectl-client-side-apply", operation: "Update", fieldsV1: { "f:spec": {} } },
        { manager, operation: "Update", subresource: "status", fieldsV1: { "f:status": {} } },
      ],
    });
    expect(foreignStatusManager(ours("kaito-dashboard"))).toBeUndefined();
    expect(foreignStatusManager(ours("unknown"))).toBeUndefined();
    expect(foreignStatusManager({})).toBeUndefined();
  });
});
