// The web process's one watch cache, the SSE stream built on it, and the create path's dry-run,
// against the real local cluster.
import { PatchStrategy, setHeaderOptions } from "@kubernetes/client-node";
import { afterAll, describe, expect, it } from "vitest";

import { createWorkspace } from "@/server/workspaces/create-workspace";
import { deleteWorkspace } from "@/server/workspaces/delete-workspace";
import { openWorkspaceStream } from "@/server/workspaces/open-workspace-stream";
import { getWorkspaceCache, WorkspaceCache, type WorkspaceChange } from "@/server/workspaces/workspace-cache";
import { kubeIdentityOf } from "@/server/kube/kube-identity";
import type { Workspace } from "@/server/kube/types/workspace";

import { kubeApis, loadTestKubeConfig, useTestNamespace } from "../support/cluster";
import { waitFor } from "../support/wait-for";

const ns = useTestNamespace("wk-live");
// Writes and the stream are sent as the person; the local cluster binds operators to every namespace.
const as = kubeIdentityOf({ email: "live-operator@example.com", role: "operator" });

const workspace = (name: string): Workspace => ({
  apiVersion: "kaito.sh/v1beta1",
  kind: "Workspace",
  metadata: { name, namespace: ns.name },
  resource: { instanceType: "Standard_NC6s_v3", labelSelector: { matchLabels: { apps: name } } },
  inference: { preset: { name: "phi-3-mini-4k-instruct" } },
});

const cache = new WorkspaceCache(loadTestKubeConfig());
afterAll(() => {
  cache.stop();
  // openWorkspaceStream starts the process-wide cache; stop its watch too.
  getWorkspaceCache().stop();
});

describe("workspace watch cache", () => {
  it("lists what exists, then follows creates, changes and deletes without another list", async () => {
    cache.start();
    await cache.ready(20_000);
    const changes: WorkspaceChange[] = [];
    cache.subscribe((c) => changes.push(c));

    await createWorkspace(workspace("live-a"), as);
    const added = await waitFor("the created workspace in the cache", () =>
      cache.listRows().find((r) => r.key === `${ns.name}/live-a`),
    );
    expect(added).toMatchObject({
      name: "live-a",
      namespace: ns.name,
      instanceType: "Standard_NC6s_v3",
      model: "phi-3-mini-4k-instruct",
      gpus: 1,
    });

    const { custom } = kubeApis();
    const patched = (await custom.patchNamespacedCustomObject(
      {
        group: "kaito.sh",
        version: "v1beta1",
        namespace: ns.name,
        plural: "workspaces",
        name: "live-a",
        body: { metadata: { labels: { touched: "yes" } } },
      },
      setHeaderOptions("Content-Type", PatchStrategy.MergePatch),
    )) as Workspace;
    await waitFor("the label change to arrive", () =>
      changes.some(
        (c) =>
          c.type === "upsert" && c.row.name === "live-a" && c.row.resourceVersion === patched.metadata.resourceVersion,
      ),
    );

    await deleteWorkspace(ns.name, "live-a", as);
    await waitFor(
      "the deletion to arrive",
      () => changes.some((c) => c.type === "delete" && c.key === `${ns.name}/live-a`),
      { timeoutMs: 60_000 },
    );
    expect(cache.get(ns.name, "live-a")).toBeUndefined();
  });
});

describe("workspace event stream", () => {
  it("sends a snapshot, then each change of the watched workspace only", async () => {
    await createWorkspace(workspace("stream-a"), as);
    const abort = new AbortController();
    const response = await openWorkspaceStream(abort.signal, as, `${ns.name}/stream-b`);
    expect(response.headers.get("content-type")).toContain("text/event-stream");
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let text = "";
    const readUntil = async (needle: string) => {
      while (!text.includes(needle)) {
        const { value, done } = await reader.read();
        if (done) throw new Error(`stream ended before ${needle}`);
        text += decoder.decode(value);
      }
    };
    await readUntil("event: snapshot");
    await readUntil("\n\n");
    expect(text).toContain("data: []");

    await createWorkspace(workspace("stream-b"), as);
    await readUntil('"name":"stream-b"');
    expect(text).toContain("event: upsert");
    expect(text).not.toContain('"name":"stream-a"');
    abort.abort();
  });
});

describe("create with a server-side dry run", () => {
  it("turns a CRD rule violation into an error at its field and creates nothing", async () => {
    const bad = workspace("bad-strength");
    bad.inference!.adapters = [{ source: { name: "a1", image: "registry.example/a1:1" }, strength: "2" }];
    const error = await createWorkspace(bad, as).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: "invalid_input",
      status: 422,
      fieldErrors: {
        "inference.adapters.0.strength": [expect.stringContaining("strength must be a number between 0.0 and 1.0")],
      },
    });
    const { custom } = kubeApis();
    await expect(
      custom.getNamespacedCustomObject({
        group: "kaito.sh",
        version: "v1beta1",
        namespace: ns.name,
        plural: "workspaces",
        name: "bad-strength",
      }),
    ).rejects.toMatchObject({ code: 404 });
  });

  it("refuses a second workspace with the same name as a conflict", async () => {
    await createWorkspace(workspace("twice"), as);
    await expect(createWorkspace(workspace("twice"), as)).rejects.toMatchObject({ code: "conflict" });
  });
});
