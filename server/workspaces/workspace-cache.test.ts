import { describe, expect, it } from "vitest";

import { scriptedClient } from "@/server/kube/testing/scripted-client";
import type { Workspace } from "@/server/kube/types/workspace";

import { WorkspaceCache, type WorkspaceChange } from "./workspace-cache";

const ws = (name: string, resourceVersion: string): Workspace => ({
  apiVersion: "kaito.sh/v1beta1",
  kind: "Workspace",
  metadata: { name, namespace: "team-a", resourceVersion },
  resource: { instanceType: "Standard_NC6s_v3", labelSelector: { matchLabels: { app: name } } },
  inference: { preset: { name: "phi-3-mini-4k-instruct" } },
});

describe("WorkspaceCache", () => {
  it("after a 410 Gone lists again, so a Workspace deleted meanwhile leaves the list", async () => {
    const { client, asked } = scriptedClient<Workspace>({
      lists: [
        { items: [ws("old", "10"), ws("kept", "10")], resourceVersion: "10" },
        { items: [ws("kept", "10"), ws("new", "290")], resourceVersion: "300" },
      ],
      watches: [
        async (emit) =>
          emit({ type: "ERROR", object: { kind: "Status", code: 410, reason: "Expired", message: "too old" } }),
      ],
    });
    const cache = new WorkspaceCache(client);
    const changes: WorkspaceChange[] = [];
    cache.subscribe((c) => changes.push(c));
    cache.start();
    await cache.ready(2_000);

    await expect.poll(() => asked).toEqual(["list", "watch from 10", "list", "watch from 300"]);
    cache.stop();
    expect(
      cache
        .listRows()
        .map((r) => r.name)
        .sort(),
    ).toEqual(["kept", "new"]);
    expect(cache.get("team-a", "old")).toBeUndefined();
    expect(changes.filter((c) => c.type === "delete")).toEqual([{ type: "delete", key: "team-a/old" }]);
  });
});
