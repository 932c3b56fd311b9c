import { readFileSync } from "node:fs";
import path from "node:path";

import type { V1Node, V1Pod, V1StatefulSet } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

import type { Informer, KubeObject } from "@/server/kube/create-informer";
import type { NodeClaim } from "@/server/kube/types/nodeclaim";
import { workspaceKey, type Workspace } from "@/server/kube/types/workspace";
import { createTimelineRecorder } from "@/server/timeline/record-timeline";
import { createMemoryTimelineStore } from "@/server/timeline/timeline-store";

import type { ControllerContext } from "./controller-context";
import { createLogger } from "./logger";
import { observedNodeClaims, observeWorkspace } from "./observe-workspace";
import { createSemaphore } from "./semaphore";
import { trimNode, trimNodeClaim, trimPod, trimStatefulSet, trimWorkspace } from "./trim-cached-objects";

// What upstream Kaito v0.12's controller left on the cluster for a Ready phi-3 Workspace.
const fixture = (file: string) =>
  (
    parse(
      readFileSync(path.resolve(import.meta.dirname, "../../tests/fixtures/upstream-kaito-v012", file), "utf8"),
    ) as { items: (KubeObject & { kind: string })[] }
  ).items;
const items = fixture("ready-phi3.yaml");
const ws = trimWorkspace(items.find((i) => i.kind === "Workspace") as unknown as Workspace);
const sts = trimStatefulSet(items.find((i) => i.kind === "StatefulSet") as V1StatefulSet);
const pods = items.filter((i) => i.kind === "Pod").map((p) => trimPod(p as V1Pod));
const claims = fixture("nodeclaims.yaml").map((c) => trimNodeClaim(c as unknown as NodeClaim));
const nodes = fixture("nodes.yaml").map((n) => trimNode(n as V1Node));

function cache<T extends KubeObject>(objects: T[], index?: (o: T) => string | undefined): Informer<T> {
  const key = (o: T) => `${o.metadata?.namespace ? `${o.metadata.namespace}/` : ""}${o.metadata?.name}`;
  return {
    list: () => objects,
    get: (k) => objects.find((o) => key(o) === k),
    byIndex: (v) => objects.filter((o) => index?.(o) === v),
  } as Informer<T>;
}

function context(workspaces: Workspace[]) {
  const store = createMemoryTimelineStore();
  const ctx = {
    caches: {
      workspaces: cache(workspaces),
      nodeClaims: cache(claims),
      nodes: cache(nodes),
      statefulSets: cache([sts]),
      jobs: cache([]),
      pods: cache(pods, (p) => `${p.metadata?.namespace}/${p.metadata?.labels?.["kaito.sh/workspace"]}`),
      services: cache([]),
    },
    timeline: createTimelineRecorder(store, async () => {}),
    timelineSlots: createSemaphore(1),
    resyncMs: 600_000,
  } as unknown as ControllerContext;
  return { ctx, store };
}

const log = createLogger("error");

describe("observeWorkspace on upstream's own objects", () => {
  it("finds upstream's NodeClaim by name and namespace labels (it has no uid label), not a predecessor's", () => {
    expect(observedNodeClaims(claims, ws).map((c) => c.metadata.name)).toEqual(["wsd95018782"]);
    const reborn = {
      ...ws,
      metadata: { ...ws.metadata, creationTimestamp: "2026-12-05T00:00:00Z" as unknown as Date },
    };
    expect(observedNodeClaims(claims, reborn)).toEqual([]);
  });

  it("records the phases a reconciling worker records, then Deleted when the Workspace is gone", async () => {
    const { ctx, store } = context([ws]);
    const lastSeen = new Map<string, Workspace>();
    expect(await observeWorkspace(ctx, workspaceKey(ws), log, lastSeen)).toMatchObject({ requeueAfterMs: 600_000 });
    const phases = (await store.list(ws.metadata.namespace, ws.metadata.name)).map((r) => `${r.phase} ${r.subject}`);
    expect(phases).toEqual(
      expect.arrayContaining([
        "Accepted ",
        "NodeClaimCreated wsd95018782",
        "NodeClaimReady wsd95018782",
        "NodeReady wsd95018782",
        "GpuCapacityReported wsd95018782",
        "WorkloadCreated workspace-phi-3-mini",
        "PodScheduled workspace-phi-3-mini-0",
        "PodReady workspace-phi-3-mini-0",
        "ResourceReady ",
        "InferenceReady ",
        "WorkspaceSucceeded ",
      ]),
    );
    expect(phases.filter((p) => p.startsWith("Failed"))).toEqual([]);

    const gone = context([]);
    (gone.ctx as { timeline: unknown }).timeline = ctx.timeline;
    await observeWorkspace(gone.ctx, workspaceKey(ws), log, lastSeen);
    expect((await store.list(ws.metadata.namespace, ws.metadata.name)).at(-1)?.phase).toBe("Deleted");
  });

  it("ignores a StatefulSet of the same name that the Workspace does not control", async () => {
    const foreign = { ...sts, metadata: { ...sts.metadata, ownerReferences: [] } };
    const { ctx, store } = context([ws]);
    (ctx.caches as { statefulSets: unknown }).statefulSets = cache([foreign]);
    await observeWorkspace(ctx, workspaceKey(ws), log, new Map());
    const phases = (await store.list(ws.metadata.namespace, ws.metadata.name)).map((r) => r.phase);
    expect(phases).not.toContain("WorkloadCreated");
  });
});
