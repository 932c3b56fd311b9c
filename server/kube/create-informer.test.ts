import { describe, expect, it } from "vitest";

import { createInformer, type KubeObject } from "./create-informer";
import { KubeApiError, type WatchEvent } from "./kube-client";
import { scriptedClient } from "./testing/scripted-client";

type Obj = KubeObject & { metadata: { name: string; namespace: string; resourceVersion: string } };
const obj = (name: string, resourceVersion: string): Obj => ({
  metadata: { name, namespace: "team-a", resourceVersion },
});

describe("createInformer", () => {
  it("lists again after a 410 Gone instead of resuming from the compacted resourceVersion", async () => {
    const gone: WatchEvent = {
      type: "ERROR",
      object: { kind: "Status", code: 410, reason: "Expired", message: "too old resource version: 10 (250)" },
    };
    const { client, asked } = scriptedClient({
      lists: [
        { items: [obj("a", "10"), obj("b", "10")], resourceVersion: "10" },
        { items: [obj("b", "260"), obj("c", "255")], resourceVersion: "300" },
      ],
      watches: [
        async (emit) => {
          emit(gone);
        },
      ],
    });
    const deleted: string[] = [];
    const added: string[] = [];
    const updated: string[] = [];
    const informer = createInformer<Obj>({
      client,
      path: "/apis/kaito.sh/v1beta1/workspaces",
      onAdd: (o) => added.push(o.metadata.name),
      onUpdate: (o) => updated.push(o.metadata.name),
      onDelete: (o) => deleted.push(o.metadata.name),
      backoff: { minMs: 1, maxMs: 1 },
    });
    await informer.start();
    await informer.synced();
    await expect.poll(() => asked).toEqual(["list", "watch from 10", "list", "watch from 300"]);
    informer.stop();

    expect(
      informer
        .list()
        .map((o) => o.metadata.name)
        .sort(),
    ).toEqual(["b", "c"]);
    expect(deleted).toEqual(["a"]);
    expect(added).toEqual(["a", "b", "c"]);
    expect(updated).toEqual(["b"]);
  });

  it("lists again after a watch that failed for another reason, and counts the restart", async () => {
    const { client, asked } = scriptedClient({
      lists: [
        { items: [obj("a", "5")], resourceVersion: "5" },
        { items: [obj("a", "5")], resourceVersion: "7" },
      ],
      watches: [
        async () => {
          throw new KubeApiError(500, "InternalError", "etcd leader changed");
        },
      ],
    });
    const informer = createInformer<Obj>({ client, path: "/x", backoff: { minMs: 1, maxMs: 1 } });
    await informer.start();
    await expect.poll(() => asked).toEqual(["list", "watch from 5", "list", "watch from 7"]);
    informer.stop();
    expect(informer.health()).toMatchObject({ restarts: 1, synced: true });
  });
});
