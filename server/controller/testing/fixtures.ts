import { readFileSync } from "node:fs";
import path from "node:path";

import type { V1Node, V1Pod, V1StatefulSet } from "@kubernetes/client-node";
import { parse } from "yaml";

import type { NodeClaim } from "@/server/kube/types/nodeclaim";
import type { Workspace } from "@/server/kube/types/workspace";

/** A seed example from examples/, as the apiserver would hand it to the controller. */
export function seedWorkspace(file: string, overrides: Partial<Workspace["metadata"]> = {}): Workspace {
  const doc = parse(readFileSync(path.resolve(process.cwd(), "examples", file), "utf8")) as Workspace;
  return {
    ...doc,
    apiVersion: "kaito.sh/v1beta1",
    metadata: {
      ...doc.metadata,
      namespace: "default",
      uid: "3f2c8a1e-0000-4000-8000-000000000001",
      generation: 1,
      resourceVersion: "100",
      creationTimestamp: "2026-01-01T00:00:00Z" as unknown as Date,
      ...overrides,
    },
  };
}

export function readyNodeClaim(name: string, ws: Workspace, nodeName: string): NodeClaim {
  const t = "2026-01-01T00:01:00Z";
  return {
    apiVersion: "karpenter.sh/v1",
    kind: "NodeClaim",
    metadata: {
      name,
      creationTimestamp: "2026-01-01T00:00:10Z" as unknown as Date,
      labels: {
        "kaito.sh/workspace": ws.metadata.name,
        "kaito.sh/workspacenamespace": ws.metadata.namespace,
        "kaito-dashboard.dev/workspace-uid": ws.metadata.uid ?? "",
      },
    },
    spec: { nodeClassRef: { group: "kaito.sh", kind: "KaitoNodeClass", name: "default" }, requirements: [] },
    status: {
      nodeName,
      conditions: ["Launched", "Registered", "Initialized", "Ready"].map((type) => ({
        type,
        status: "True" as const,
        lastTransitionTime: t,
      })),
    },
  };
}

export function gpuNode(name: string, labels: Record<string, string>, gpus = "1", ready = true): V1Node {
  return {
    metadata: { name, labels },
    status: {
      capacity: { "nvidia.com/gpu": gpus },
      conditions: [
        {
          type: "Ready",
          status: ready ? "True" : "False",
          lastTransitionTime: "2026-01-01T00:01:30Z" as unknown as Date,
        },
      ],
    },
  };
}

export function readyStatefulSet(ws: Workspace, replicas = 1): V1StatefulSet {
  return {
    metadata: { name: ws.metadata.name, namespace: ws.metadata.namespace, generation: 1 },
    spec: { replicas, selector: {}, serviceName: "", template: {} },
    status: { replicas, readyReplicas: replicas, updatedReplicas: replicas, observedGeneration: 1 },
  };
}

export function pod(name: string, ws: Workspace, status: V1Pod["status"]): V1Pod {
  return {
    metadata: { name, namespace: ws.metadata.namespace, labels: { "kaito.sh/workspace": ws.metadata.name } },
    status,
  };
}
