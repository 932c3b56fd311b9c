// The list and detail pages on Workspaces that upstream Kaito v0.12's own controller wrote
// (tests/fixtures/upstream-kaito-v012): applied as the user applied them, with upstream's status
// written through the status subresource under upstream's field manager, and upstream's unlabelled
// Services owned by the Workspace, and upstream's InferenceSet with the child Workspaces it made. The
// e2e worker reconciles its own namespace only, so nothing of ours touches these.
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";

import { expect, test } from "@playwright/test";
import { parse } from "yaml";

import { deleteNamespace, kubectl } from "./support/kubectl";
import { signIn } from "./support/sign-in";

const namespace = `e2e-upstream-${randomBytes(3).toString("hex")}`;
const CASES = ["ready-phi3", "tuning-phi3", "benchmark-default", "unknown-preset"] as const;

type Obj = { kind: string; metadata: Record<string, unknown> & { name: string }; [field: string]: unknown };

function fixture(name: (typeof CASES)[number] | "inferenceset-phi4"): Obj[] {
  const file = path.resolve(import.meta.dirname, "../fixtures/upstream-kaito-v012", `${name}.yaml`);
  // Every object of a case lived in namespace up-<case>; here they share the spec's namespace.
  const text = readFileSync(file, "utf8").split(`up-${name}`).join(namespace);
  return (parse(text) as { items: Obj[] }).items;
}

/** An object as it is posted: server-set metadata and status dropped. */
function posted(obj: Obj): Obj {
  const { name, labels, annotations } = obj.metadata;
  const copy: Obj = { ...obj, metadata: { name, namespace, labels, annotations } };
  delete copy.status;
  return copy;
}

/** Upstream's status, written through the status subresource under upstream's field manager. */
function writeStatus(resource: string, obj: Obj): void {
  kubectl([
    "patch",
    resource,
    obj.metadata.name,
    "-n",
    namespace,
    "--subresource=status",
    "--type=merge",
    "--field-manager=kaito-workspace",
    "-p",
    JSON.stringify({ status: obj.status }),
  ]);
}

const row = (page: import("@playwright/test").Page, name: string) =>
  page.getByTestId(`workspace-row-${namespace}-${name}`);

test.describe.configure({ mode: "serial" });

test.beforeAll(() => {
  kubectl(["create", "namespace", namespace]);
  for (const name of CASES) {
    const items = fixture(name);
    for (const ws of items.filter((i) => i.kind === "Workspace")) {
      kubectl(["create", "-f", "-"], JSON.stringify(posted(ws)));
      writeStatus("workspace", ws);
      const uid = kubectl(["get", "workspace", ws.metadata.name, "-n", namespace, "-o", "jsonpath={.metadata.uid}"]);
      for (const svc of items.filter((i) => i.kind === "Service")) {
        const body = posted(svc);
        const spec = body.spec as { clusterIP?: string; clusterIPs?: string[] };
        if (spec.clusterIP !== "None") delete spec.clusterIP;
        delete spec.clusterIPs;
        body.metadata.ownerReferences = [
          { apiVersion: "kaito.sh/v1beta1", kind: "Workspace", name: ws.metadata.name, uid, controller: true },
        ];
        kubectl(["create", "--field-manager=kaito-workspace", "-f", "-"], JSON.stringify(body));
      }
    }
  }
});

test.afterAll(() => deleteNamespace(namespace));

test("the list shows upstream's states: Ready, Succeeded, a reconcile error behind Pending, and the failed benchmark", async ({
  page,
}) => {
  await signIn(page);
  await page.goto(`/workspaces?ns=${namespace}`);
  await expect(page.getByTestId("stream-status")).toHaveText("Live");
  await expect(row(page, "workspace-phi-3-mini").getByTestId("workspace-state")).toHaveText("Ready");
  await expect(row(page, "workspace-tuning-phi-3").getByTestId("workspace-state")).toHaveText("Succeeded");
  // Upstream says Pending; its conditions' messages say its controller fails at every reconcile.
  const unknown = row(page, "workspace-unknown-preset").getByTestId("workspace-state");
  await expect(unknown).toContainText("Stuck");
  await expect(unknown.locator("[data-problem]")).toHaveAttribute(
    "title",
    /^WorkspaceInferenceStatusPending: .*model is not registered: no-such-model-7b \(status\.state Pending\)$/,
  );
  const benchmark = row(page, "workspace-phi-4-mini").getByTestId("workspace-state");
  await expect(benchmark).not.toHaveText("Ready");
  await expect(benchmark.locator("[data-problem]")).toHaveAttribute("title", /^BenchmarkFailed: .*no logs found/);
});

test("a Ready upstream Workspace's detail: its conditions in plain words and upstream's unlabelled Services", async ({
  page,
}) => {
  await signIn(page);
  await page.goto(`/workspaces/${namespace}/workspace-phi-3-mini`);
  await expect(page.getByTestId("detail-state")).toContainText("Ready");
  await expect(page.getByTestId("condition-ResourceReady")).toContainText("Compute is in place");
  await expect(page.getByTestId("condition-InferenceReady")).toContainText("answering its health check");
  const endpoints = page.getByTestId("endpoints");
  await expect(endpoints).toContainText("workspace-phi-3-mini-headless");
  await expect(endpoints).toContainText("http://workspace-phi-3-mini.");
});

test("why not ready: the error upstream's controller hides in its messages, for an unknown preset", async ({
  page,
}) => {
  await signIn(page);
  await page.goto(`/workspaces/${namespace}/workspace-unknown-preset`);
  const why = page.getByTestId("why-not-ready");
  await expect(why).toHaveAttribute("data-cause", "controller-error");
  await expect(why).toContainText("Kaito's controller fails on this workspace at every reconcile");
  await expect(why).toContainText("model is not registered: no-such-model-7b");
});

test("upstream's BenchmarkCompleted condition and its message show on the detail page", async ({ page }) => {
  await signIn(page);
  await page.goto(`/workspaces/${namespace}/workspace-phi-4-mini`);
  const benchmark = page.getByTestId("condition-BenchmarkCompleted");
  await expect(benchmark).toHaveAttribute("data-status", "False");
  await expect(benchmark).toContainText("BenchmarkFailed");
  await expect(benchmark).toContainText("no logs found");
});

test("upstream's InferenceSet: listed with its replicas and ready replicas, its page lists the Workspaces it made", async ({
  page,
}) => {
  // As upstream's controller left them: the set, then its children with generated names, the
  // set's created-by label and the set as their controller, each status under upstream's manager.
  const items = fixture("inferenceset-phi4");
  const set = items.find((i) => i.kind === "InferenceSet")!;
  kubectl(["create", "-f", "-"], JSON.stringify(posted(set)));
  writeStatus("inferenceset", set);
  const uid = kubectl(["get", "inferenceset", set.metadata.name, "-n", namespace, "-o", "jsonpath={.metadata.uid}"]);
  const children = items.filter((i) => i.kind === "Workspace");
  for (const ws of children) {
    const body = posted(ws);
    body.metadata.ownerReferences = [
      { apiVersion: set.apiVersion, kind: "InferenceSet", name: set.metadata.name, uid, controller: true },
    ];
    kubectl(["create", "--field-manager=kaito-workspace", "-f", "-"], JSON.stringify(body));
    writeStatus("workspace", ws);
  }

  await signIn(page);
  const setRow = page.getByTestId(`inferenceset-row-${namespace}-phi-4-mini-set`);
  // The set list is rendered on the server from the web's watch cache: load until the set is in.
  await expect(async () => {
    await page.goto(`/workspaces?ns=${namespace}`);
    await expect(setRow.getByTestId("inferenceset-ready-replicas")).toHaveText("2", { timeout: 1_000 });
  }).toPass({ timeout: 30_000 });
  await expect(setRow.getByTestId("inferenceset-replicas")).toHaveText("2");
  await expect(setRow).toContainText("phi-4-mini-instruct");
  await expect(setRow).toContainText("Ready");

  await setRow.getByRole("link", { name: "phi-4-mini-set" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText("phi-4-mini-set");
  await expect(page.getByTestId("inferenceset-counts")).toHaveText("2 of 2 replicas ready");
  await expect(page.getByTestId("condition-InferenceSetReady")).toHaveAttribute("data-status", "True");
  await expect(page.getByTestId("inferenceset-children").locator("tbody tr")).toHaveCount(children.length);
  for (const ws of children) {
    const child = page.getByTestId(`inferenceset-child-${ws.metadata.name}`);
    await expect(child.getByRole("link")).toHaveText(ws.metadata.name);
    await expect(child).toContainText("Ready");
  }
  // A child is one of upstream's Workspaces, with its own page.
  const first = children[0].metadata.name;
  await page.getByTestId(`inferenceset-child-${first}`).getByRole("link").click();
  await expect(page).toHaveURL(`/workspaces/${namespace}/${first}`);
  await expect(page.getByTestId("detail-state")).toContainText("Ready");
});

test("with upstream's controller running, the status bar says this dashboard's controller stands down and names observe mode", async ({
  page,
}) => {
  // Shaped like upstream's chart: its Deployment's labels and its leader Lease, held.
  kubectl(
    ["apply", "-f", "-"],
    JSON.stringify({
      apiVersion: "v1",
      kind: "List",
      items: [
        {
          apiVersion: "apps/v1",
          kind: "Deployment",
          metadata: {
            name: "kaito-workspace",
            namespace,
            labels: { "app.kubernetes.io/name": "workspace", "app.kubernetes.io/instance": "kaito-workspace" },
          },
          spec: {
            replicas: 1,
            selector: { matchLabels: { "app.kubernetes.io/name": "workspace" } },
            template: {
              metadata: { labels: { "app.kubernetes.io/name": "workspace" } },
              spec: {
                nodeSelector: { "kaito-dashboard.dev/test": "never" },
                containers: [{ name: "workspace", image: "mcr.microsoft.com/aks/kaito/workspace:0.12.0" }],
              },
            },
          },
        },
        {
          apiVersion: "coordination.k8s.io/v1",
          kind: "Lease",
          metadata: { name: "ef60f9b0.io", namespace },
          spec: {
            holderIdentity: "kaito-workspace-6f7c9_0d1e",
            leaseDurationSeconds: 3600,
            renewTime: new Date().toISOString().replace("Z", "000Z"),
          },
        },
      ],
    }),
  );
  try {
    await signIn(page);
    await page.goto(`/workspaces?ns=${namespace}`);
    const refused = page.getByTestId("controller-refused");
    // The status bar asks every 15 s.
    await expect(refused).toContainText("stands down", { timeout: 40_000 });
    await expect(refused).toContainText("controller.mode=observe");
    await expect(refused).toHaveAttribute("title", new RegExp(`Deployment ${namespace}/kaito-workspace`));
  } finally {
    // The e2e worker stands down too while these exist: remove them for the specs after this one.
    kubectl(["delete", "deployment/kaito-workspace", "lease/ef60f9b0.io", "-n", namespace, "--wait=true"]);
  }
});
