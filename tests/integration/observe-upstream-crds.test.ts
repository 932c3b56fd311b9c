// Beside an installed Kaito with crds.install=false, the dashboard works through upstream's own
// Workspace CRD (tests/fixtures/upstream-kaito-v012/crds/, README there): the seed's three
// examples are created through the form's create path, read back through the detail page's data,
// edited, given an adapter and deleted; status written the way upstream's controller writes it
// reads the same, also where upstream's schema prunes the fields it lacks. Our CRD is put back
// afterwards, whatever happened, because every later test file works through it.
import { readFileSync } from "node:fs";
import path from "node:path";

import type { V1CustomResourceDefinition } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";

import { editableWorkspace } from "@/lib/kaito/workspace-immutability";
import { workspaceState } from "@/lib/kaito/workspace-state";
import { createAuditRecorder } from "@/server/actions/audit-details";
import { closeDb } from "@/server/db/client";
import { kubeIdentityOf } from "@/server/kube/kube-identity";
import type { Workspace } from "@/server/kube/types/workspace";
import { createWorkspaceFromYaml } from "@/server/workspaces/create-workspace-from-yaml";
import { deleteWorkspace } from "@/server/workspaces/delete-workspace";
import { getWorkspaceDetail } from "@/server/workspaces/get-workspace-detail";
import { updateWorkspace } from "@/server/workspaces/update-workspace";
import { updateWorkspaceAdapters } from "@/server/workspaces/update-workspace-adapters";
import { getWorkspaceCache } from "@/server/workspaces/workspace-cache";

import { kubectl, useTestNamespace } from "../support/cluster";
import { waitFor } from "../support/wait-for";

const repo = path.resolve(import.meta.dirname, "../..");
const upstreamCrdFile = path.join(repo, "tests/fixtures/upstream-kaito-v012/crds/kaito.sh_workspaces.yaml");
const CRD = "workspaces.kaito.sh";
const ns = useTestNamespace("obs-upcrd");
// The create, edit and delete are sent as the person; the local cluster binds operators to every namespace.
const as = kubeIdentityOf({ email: "upstream-crd-operator@example.com", role: "operator" });

function readCrd(): V1CustomResourceDefinition {
  const result = kubectl(["get", "crd", CRD, "-o", "json"]);
  if (result.status !== 0) throw new Error(result.stderr);
  return JSON.parse(result.stdout) as V1CustomResourceDefinition;
}

function replaceCrd(crd: V1CustomResourceDefinition) {
  const body = {
    apiVersion: crd.apiVersion ?? "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: {
      name: CRD,
      labels: crd.metadata?.labels,
      annotations: crd.metadata?.annotations,
      resourceVersion: readCrd().metadata!.resourceVersion,
    },
    spec: crd.spec,
  };
  const replaced = kubectl(["replace", "-f", "-"], JSON.stringify(body));
  if (replaced.status !== 0) throw new Error(replaced.stderr);
}

/** The apiserver serves a replaced schema a moment after the CRD update: wait until it prunes as upstream's does. */
async function waitForServedSchema(hasState: boolean) {
  const probe = `schema-probe-${hasState ? "ours" : "upstream"}`;
  const workspace = {
    apiVersion: "kaito.sh/v1beta1",
    kind: "Workspace",
    metadata: { name: probe, namespace: ns.name },
    resource: { instanceType: "Standard_NC24ads_A100_v4", labelSelector: { matchLabels: { apps: probe } } },
    inference: { preset: { name: "phi-3-mini-4k-instruct" } },
  };
  expect(kubectl(["apply", "-f", "-"], JSON.stringify(workspace)).status).toBe(0);
  await waitFor(`the ${hasState ? "chart's" : "upstream"} Workspace schema to be served`, () => {
    kubectl([
      "patch",
      "workspace",
      probe,
      "-n",
      ns.name,
      "--subresource=status",
      "--type=merge",
      "-p",
      JSON.stringify({ status: { state: "Pending" } }),
    ]);
    const got = JSON.parse(kubectl(["get", "workspace", probe, "-n", ns.name, "-o", "json"]).stdout) as Workspace;
    return (got.status?.state !== undefined) === hasState;
  });
  kubectl(["delete", "workspace", probe, "-n", ns.name, "--wait=false"]);
}

let ours: V1CustomResourceDefinition;

beforeAll(async () => {
  ours = readCrd();
  replaceCrd(parse(readFileSync(upstreamCrdFile, "utf8")) as V1CustomResourceDefinition);
  await waitForServedSchema(false);
}, 120_000);

afterAll(async () => {
  getWorkspaceCache().stop();
  await closeDb();
  if (!ours) return;
  replaceCrd(ours);
  await waitForServedSchema(true);
}, 120_000);

/** A seed example as the create form submits it: the YAML the user sees, in the namespace they chose. */
function seedExample(file: string, name?: string): string {
  const doc = parse(readFileSync(path.join(repo, "examples", file), "utf8")) as Workspace;
  doc.metadata = { ...doc.metadata, name: name ?? doc.metadata.name, namespace: ns.name };
  return stringify(doc);
}

const SEED = [
  { file: "kaito_workspace_phi_3.yaml", name: "workspace-phi-3-mini", model: "phi-3-mini-4k-instruct" },
  {
    file: "kaito_workspace_phi_3_with_adapters.yaml",
    name: "workspace-phi-3-mini-adapter",
    model: "phi-3-mini-128k-instruct",
  },
  // The tuning example reuses the first one's name; the form would have the user pick another.
  { file: "kaito_workspace_tuning_phi_3.yaml", name: "workspace-phi-3-mini-tuning", model: "phi-3-mini-4k-instruct" },
];

async function detail(name: string) {
  const found = await getWorkspaceDetail(ns.name, name, as);
  if (!found) throw new Error(`no detail for ${name}`);
  return found;
}

describe("upstream Kaito's Workspace CRD installed instead of ours (crds.install=false)", () => {
  it("creates the seed's three examples through the form's create path and the detail page reads them", async () => {
    for (const { file, name, model } of SEED) {
      const created = await createWorkspaceFromYaml(seedExample(file, name), createAuditRecorder(), as);
      expect(created).toMatchObject({ namespace: ns.name, name });
      const { workspace, problem } = await detail(name);
      expect(workspace.inference?.preset?.name ?? workspace.tuning?.preset?.name).toBe(model);
      expect(workspace.resource?.instanceType).toBe("Standard_NC6s_v3");
      expect(problem).toBeNull();
      expect(workspaceState(workspace)).toBe("Pending");
    }
    const withAdapter = await detail("workspace-phi-3-mini-adapter");
    expect(withAdapter.workspace.inference?.adapters?.map((a) => a.source.name)).toEqual(["phi-3-adapter"]);
    const tuning = await detail("workspace-phi-3-mini-tuning");
    expect(tuning.workspace.tuning?.method).toBe("qlora");
  });

  it("reads upstream's status as its controller writes it, state and performance included where its schema keeps them", async () => {
    const name = "workspace-phi-3-mini";
    const now = new Date().toISOString();
    const condition = (type: string, reason: string) => ({
      type,
      status: "True",
      reason,
      message: reason,
      lastTransitionTime: now,
    });
    // Upstream v0.12 writes these (tests/fixtures/upstream-kaito-v012/ready-phi3.yaml); its
    // older CRD here has no state, targetNodeCount or performance, so the apiserver drops them.
    const status = {
      conditions: [
        condition("ResourceReady", "workspaceResourceStatusSuccess"),
        condition("InferenceReady", "WorkspaceInferenceStatusSuccess"),
        condition("BenchmarkCompleted", "BenchmarkCompleted"),
        condition("WorkspaceSucceeded", "workspaceSucceeded"),
      ],
      state: "Ready",
      targetNodeCount: 1,
      performance: { metrics: { peakTokensPerMinute: { value: "1200", unit: "tokens/min", description: "peak" } } },
      workerNodes: ["upstream-node-0"],
    };
    const patched = kubectl([
      "patch",
      "workspace",
      name,
      "-n",
      ns.name,
      "--subresource=status",
      "--type=merge",
      "-p",
      JSON.stringify({ status }),
    ]);
    expect(patched.status).toBe(0);
    for (const field of ["state", "targetNodeCount", "performance"])
      expect(patched.stderr).toContain(`unknown field "status.${field}"`);
    await waitFor("the status in the detail page's data", async () =>
      Boolean((await detail(name)).workspace.status?.conditions?.length),
    );
    const { workspace, problem } = await detail(name);
    expect(workspace.status?.state).toBeUndefined();
    expect(workspace.status?.performance).toBeUndefined();
    expect(workspaceState(workspace)).toBe("Ready");
    expect(problem).toBeNull();
    expect(workspace.status?.conditions?.map((c) => c.type)).toContain("BenchmarkCompleted");
  });

  it("edits a Workspace and attaches an adapter through upstream's schema", async () => {
    const name = "workspace-phi-3-mini";
    const live = (await detail(name)).workspace;
    const base = editableWorkspace(live);
    const edited = { ...base, metadata: { ...base.metadata, labels: { team: "ml" } } };
    const updated = await updateWorkspace(
      {
        namespace: ns.name,
        name,
        yaml: stringify(edited),
        baseYaml: stringify(base),
        baseResourceVersion: live.metadata.resourceVersion!,
      },
      as,
    );
    expect(updated.after.metadata.labels).toEqual({ team: "ml" });

    const adapter = {
      source: { name: "support-tone", image: "registry.local:5002/kaito-adapters/support-tone:1" },
      strength: "0.5",
    };
    await updateWorkspaceAdapters(ns.name, name, [adapter], [], as);
    await waitFor("the adapter in the detail page's data", async () =>
      Boolean((await detail(name)).workspace.inference?.adapters?.length),
    );
    const after = (await detail(name)).workspace;
    expect(after.inference?.adapters).toEqual([adapter]);
    expect(after.metadata.labels).toEqual({ team: "ml" });
  });

  it("deletes the three, and the detail page then finds none", async () => {
    for (const { name } of SEED) await deleteWorkspace(ns.name, name, as);
    for (const { name } of SEED)
      await waitFor(`${name} gone`, async () => (await getWorkspaceDetail(ns.name, name, as)) === null);
  });
});
