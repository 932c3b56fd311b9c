// Attaching published adapters to Workspaces on the real local cluster, with the real registry.
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { PatchStrategy, setHeaderOptions } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { startRegistry, type RunningRegistry } from "@/dev/registry/start-registry";
import { attachAdapter, detachAdapter } from "@/server/adapters/attach-adapter";
import type { AdapterSettings } from "@/server/adapters/config";
import { deleteAdapter } from "@/server/adapters/delete-adapter";
import { listAdapters } from "@/server/adapters/list-adapters";
import { adapterConfigJson, smallSafetensors } from "@/server/adapters/testing/make-adapter-files";
import { uploadAdapter } from "@/server/adapters/upload-adapter";
import { closeDb, getDb, type PrismaClient } from "@/server/db/client";
import { kubeIdentityOf } from "@/server/kube/kube-identity";
import { updateWorkspaceAdapters } from "@/server/workspaces/update-workspace-adapters";
import type { Workspace } from "@/server/kube/types/workspace";

import { kubeApis, useTestNamespace } from "../support/cluster";
import { createInferenceWorkspace } from "../support/workspace-status";

const ns = useTestNamespace("adapters");
// Attach and detach are sent as the person; the local cluster binds operators to every namespace.
const as = kubeIdentityOf({ email: "adapters-operator@example.com", role: "operator" });
const run = randomBytes(3).toString("hex");
let registry: RunningRegistry;
let work: string;
let db: PrismaClient;
let settings: AdapterSettings;

beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), "kd-adapters-attach-"));
  if (!process.env.DATABASE_URL) process.env.PGLITE_DIR = path.join(work, "db");
  registry = await startRegistry();
  db = await getDb();
  settings = {
    registryUrl: registry.url,
    repositoryPrefix: "kaito-adapters/",
    pullHost: "registry.local:5002",
    pullSecret: "adapter-registry",
    maxBytes: 16 * 1024 * 1024,
    uploadDir: path.join(work, "uploads"),
  };
});

afterAll(async () => {
  await closeDb();
  await registry?.stop();
  await rm(work, { recursive: true, force: true });
});

async function publish(name: string) {
  const form = new FormData();
  form.append("name", name);
  form.append("baseModel", "phi-3-mini-4k-instruct");
  form.append("files", new Blob([adapterConfigJson()]), "adapter_config.json");
  form.append("files", new Blob([new Uint8Array(smallSafetensors())]), "adapter_model.safetensors");
  const request = new Request("http://x/", { method: "POST", body: form });
  const body = Readable.from([Buffer.from(await request.arrayBuffer())]);
  return uploadAdapter(
    body,
    request.headers.get("content-type"),
    { userId: null, email: "op@example.com" },
    { db, settings },
  );
}

async function readWorkspace(name: string): Promise<Workspace> {
  return (await kubeApis().custom.getNamespacedCustomObject({
    group: "kaito.sh",
    version: "v1beta1",
    namespace: ns.name,
    plural: "workspaces",
    name,
  })) as Workspace;
}

describe("attaching adapters to workspaces", () => {
  it("attach patches inference.adapters with the pinned image and pull secret; delete waits for detach", async () => {
    const adapter = await publish(`support-${run}`);
    await createInferenceWorkspace(ns.name, "ws-attach");

    await attachAdapter(
      { namespace: ns.name, workspace: "ws-attach", adapter: adapter.name, strength: 0.5, as },
      { db, settings },
    );
    let ws = await readWorkspace("ws-attach");
    expect(ws.inference!.adapters).toEqual([
      {
        source: {
          name: adapter.name,
          image: `registry.local:5002/kaito-adapters/${adapter.name}@${adapter.digest}`,
          imagePullSecrets: ["adapter-registry"],
        },
        strength: "0.5",
      },
    ]);

    // Attaching again changes the strength, it does not add a second entry.
    await attachAdapter(
      { namespace: ns.name, workspace: "ws-attach", adapter: adapter.name, strength: 1, as },
      { db, settings },
    );
    ws = await readWorkspace("ws-attach");
    expect(ws.inference!.adapters!.map((a) => [a.source.name, a.strength])).toEqual([[adapter.name, "1.0"]]);

    const listed = (await listAdapters({ db, settings, as })).adapters.find((a) => a.name === adapter.name)!;
    expect(listed.attachedTo).toEqual([
      { namespace: ns.name, workspace: "ws-attach", strength: "1.0", image: adapter.image },
    ]);

    await expect(deleteAdapter(adapter.name, { db, settings })).rejects.toThrow(
      /attached to .*ws-attach; detach it first/,
    );
    expect(await db.adapter.findUnique({ where: { name: adapter.name } })).not.toBeNull();

    await detachAdapter({ namespace: ns.name, workspace: "ws-attach", adapter: adapter.name, as });
    expect((await readWorkspace("ws-attach")).inference!.adapters ?? []).toEqual([]);

    await deleteAdapter(adapter.name, { db, settings });
    expect(await db.adapter.findUnique({ where: { name: adapter.name } })).toBeNull();
    const manifest = await fetch(`${registry.url}/v2/kaito-adapters/${adapter.name}/manifests/${adapter.digest}`, {
      headers: { accept: "application/vnd.oci.image.manifest.v1+json" },
    });
    expect(manifest.status).toBe(404);
  });

  it("refuses an eleventh adapter and leaves the workspace as it was", async () => {
    const adapter = await publish(`eleventh-${run}`);
    const ten = Array.from({ length: 10 }, (_, i) => ({
      source: { name: `other-${i}`, image: `example.com/a${i}:1` },
      strength: "1.0",
    }));
    await createInferenceWorkspace(ns.name, "ws-full", ten);
    const before = await readWorkspace("ws-full");

    await expect(
      attachAdapter(
        { namespace: ns.name, workspace: "ws-full", adapter: adapter.name, strength: 1, as },
        { db, settings },
      ),
    ).rejects.toThrow(/already has 10 adapters/);
    const after = await readWorkspace("ws-full");
    expect(after.metadata!.resourceVersion).toBe(before.metadata!.resourceVersion);
  });

  it("refuses an adapter trained on another base model unless the Workspace's name is typed", async () => {
    const adapter = await publish(`mismatch-${run}`);
    await kubeApis().custom.createNamespacedCustomObject({
      group: "kaito.sh",
      version: "v1beta1",
      namespace: ns.name,
      plural: "workspaces",
      body: {
        apiVersion: "kaito.sh/v1beta1",
        kind: "Workspace",
        metadata: { name: "ws-phi4" },
        resource: { instanceType: "Standard_NC24ads_A100_v4", labelSelector: { matchLabels: { apps: "ws-phi4" } } },
        inference: { preset: { name: "phi-4" } },
      },
    });
    const before = await readWorkspace("ws-phi4");
    const attach = (override?: string) =>
      attachAdapter(
        { namespace: ns.name, workspace: "ws-phi4", adapter: adapter.name, strength: 1, override, as },
        { db, settings },
      );

    await expect(attach()).rejects.toMatchObject({ code: "conflict", field: "override" });
    await expect(attach("ws-other")).rejects.toThrow(/trained on phi-3-mini-4k-instruct, but .*ws-phi4 serves phi-4/);
    expect((await readWorkspace("ws-phi4")).metadata!.resourceVersion).toBe(before.metadata!.resourceVersion);

    const change = await attach("ws-phi4");
    expect(change.baseModelOverride).toEqual({
      adapterBaseModel: "phi-3-mini-4k-instruct",
      workspaceModel: "phi-4",
      match: "different",
    });
    expect((await readWorkspace("ws-phi4")).inference!.adapters!.map((a) => a.source.name)).toEqual([adapter.name]);
  });

  it("reports a workspace that does not exist", async () => {
    const adapter = await publish(`nowhere-${run}`);
    await expect(
      attachAdapter(
        { namespace: ns.name, workspace: "missing", adapter: adapter.name, strength: 1, as },
        { db, settings },
      ),
    ).rejects.toMatchObject({ code: "not_found" });
  });

  it("saves an adapter list over the controller's status writes, and refuses one made from a list someone else changed", async () => {
    await createInferenceWorkspace(ns.name, "ws-edit");
    const opened = await readWorkspace("ws-edit");
    const base = opened.inference!.adapters ?? [];
    // The controller writes status while the editor is open: the resourceVersion moves, the adapters do not.
    await kubeApis().custom.patchNamespacedCustomObjectStatus(
      {
        group: "kaito.sh",
        version: "v1beta1",
        namespace: ns.name,
        plural: "workspaces",
        name: "ws-edit",
        body: { status: { state: "Pending" } },
      },
      setHeaderOptions("Content-Type", PatchStrategy.MergePatch),
    );
    expect((await readWorkspace("ws-edit")).metadata!.resourceVersion).not.toBe(opened.metadata!.resourceVersion);
    const mine = [{ source: { name: "mine", image: "registry.example/mine:v1" }, strength: "0.5" }];
    await updateWorkspaceAdapters(ns.name, "ws-edit", mine, base, as);
    expect((await readWorkspace("ws-edit")).inference!.adapters).toEqual(mine);

    // A second editor opened before that save starts from the old list: refused, the first save stands.
    const theirs = [{ source: { name: "theirs", image: "registry.example/theirs:v1" } }];
    await expect(updateWorkspaceAdapters(ns.name, "ws-edit", theirs, base, as)).rejects.toMatchObject({
      code: "conflict",
      message: expect.stringMatching(/changed by someone else/),
    });
    expect((await readWorkspace("ws-edit")).inference!.adapters).toEqual(mine);
  });
});
