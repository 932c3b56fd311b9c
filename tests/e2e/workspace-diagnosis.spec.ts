// "Why is this not ready?" in Chromium against real scheduler and controller-manager messages
// (#16 defect 6): storage and quota named as such, repeated events collapsed, and a terminal
// failure that stops the timeline and the playground link.
import { randomBytes } from "node:crypto";

import { expect, test, type Page } from "@playwright/test";

import { deleteNamespace, kubectl, phi3Workspace, setWorkspaceStatus } from "./support/kubectl";
import { signIn } from "./support/sign-in";

const run = randomBytes(3).toString("hex");
const namespace = `e2e-diag-${run}`;
// With no node at all the scheduler never reaches the volume checks ("no nodes available"); a
// tainted KWOK node that nothing else tolerates lets it.
const NODE = `e2e-diag-${run}`;
const REPEATED = "0/3 nodes are available: 3 node(s) had untolerated taint {sku: gpu}.";

/** A workload pod of the Workspace, as the controller would create it, with one volume claim. */
const pod = (workspaceName: string, claim: string) => `apiVersion: v1
kind: Pod
metadata: {name: ${workspaceName}-0, namespace: ${namespace}, labels: {kaito.sh/workspace: ${workspaceName}}}
spec:
  containers: [{name: ${workspaceName}, image: mcr.microsoft.com/aks/kaito/kaito-base:0.0.1}]
  volumes: [{name: cache, persistentVolumeClaim: {claimName: ${claim}}}]
`;
const pending = (name: string) =>
  setWorkspaceStatus(namespace, name, "Pending", [
    { type: "ResourceReady", status: "True", reason: "workspaceResourceStatusSuccess" },
    { type: "InferenceReady", status: "False", reason: "WorkspaceInferenceStatusPending", message: "0/1 ready" },
  ]);

test.describe.configure({ mode: "serial" });

test.beforeAll(async () => {
  kubectl(
    ["apply", "-f", "-"],
    `apiVersion: v1
kind: Node
metadata: {name: ${NODE}, annotations: {kwok.x-k8s.io/node: fake}, labels: {type: kwok}}
spec: {taints: [{key: e2e-diagnosis, value: only, effect: NoSchedule}]}
`,
  );
  kubectl(["create", "namespace", namespace]);
  kubectl(
    ["apply", "-f", "-"],
    `apiVersion: v1
kind: ResourceQuota
metadata: {name: gpu-quota, namespace: ${namespace}}
spec: {hard: {requests.nvidia.com/gpu: "0"}}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: unbound-claim, namespace: ${namespace}}
spec: {accessModes: [ReadWriteOnce], storageClassName: "", resources: {requests: {storage: 1Gi}}}
`,
  );
  kubectl(
    ["apply", "-f", "-"],
    ["pvc-unbound", "pvc-missing", "quota", "invalid"].map((name) => phi3Workspace(namespace, name)).join("---\n") +
      "---\n" +
      pod("pvc-unbound", "unbound-claim") +
      "---\n" +
      pod("pvc-missing", "model-cache"),
  );
  for (const name of ["pvc-unbound", "pvc-missing", "quota"]) pending(name);
  setWorkspaceStatus(namespace, "invalid", "NotReady", [
    { type: "ResourceReady", status: "False", reason: "ValidationFailed", message: "Unknown preset phi-9" },
    { type: "WorkspaceSucceeded", status: "False", reason: "ValidationFailed", message: "Unknown preset phi-9" },
  ]);
  // The quota controller must have counted the namespace before admission enforces it.
  for (
    let i = 0;
    i < 60 && !kubectl(["get", "resourcequota", "gpu-quota", "-n", namespace, "-o", "jsonpath={.status.hard}"]);
    i++
  )
    await new Promise((resolve) => setTimeout(resolve, 500));
  kubectl(
    ["apply", "-f", "-"],
    `apiVersion: apps/v1
kind: StatefulSet
metadata: {name: quota, namespace: ${namespace}, labels: {kaito.sh/workspace: quota}}
spec:
  replicas: 1
  serviceName: quota-headless
  selector: {matchLabels: {kaito.sh/workspace: quota}}
  template:
    metadata: {labels: {kaito.sh/workspace: quota}}
    spec:
      containers:
        - name: quota
          image: mcr.microsoft.com/aks/kaito/kaito-base:0.0.1
          resources: {requests: {nvidia.com/gpu: 1}, limits: {nvidia.com/gpu: 1}}
`,
  );
  // The same scheduling failure, reported 17 times.
  const now = Date.now();
  kubectl(
    ["apply", "-f", "-"],
    Array.from(
      { length: 17 },
      (_, i) => `apiVersion: v1
kind: Event
metadata: {name: pvc-unbound-0.repeat${i}, namespace: ${namespace}}
involvedObject: {kind: Pod, name: pvc-unbound-0, namespace: ${namespace}}
reason: FailedScheduling
type: Warning
message: "${REPEATED}"
count: 1
firstTimestamp: "${new Date(now - (17 - i) * 10_000).toISOString().replace(/\.\d+Z$/, "Z")}"
lastTimestamp: "${new Date(now - (17 - i) * 10_000).toISOString().replace(/\.\d+Z$/, "Z")}"
source: {component: default-scheduler}
`,
    ).join("---\n"),
  );
});

test.afterAll(() => {
  deleteNamespace(namespace);
  kubectl(["delete", "node", NODE, "--wait=false"]);
});

async function open(page: Page, name: string) {
  await signIn(page);
  await page.goto(`/workspaces/${namespace}/${name}`);
}

test("an unbound PersistentVolumeClaim is named as the cause, not GPUs, taints or affinity", async ({ page }) => {
  await open(page, "pvc-unbound");
  const why = page.getByTestId("why-not-ready");
  // The scheduler needs a moment to try the pod; the page polls.
  await expect(why).toHaveAttribute("data-cause", "storage", { timeout: 30_000 });
  await expect(why).toContainText("A PersistentVolumeClaim of the pod is not bound to a volume");
  await expect(why).not.toContainText(/GPU|taint|affinity/);
  await expect(why).not.toContainText(/preemption|not found$/);
});

test("a PersistentVolumeClaim that does not exist is named", async ({ page }) => {
  await open(page, "pvc-missing");
  const why = page.getByTestId("why-not-ready");
  await expect(why).toHaveAttribute("data-cause", "storage", { timeout: 30_000 });
  await expect(why).toContainText('The PersistentVolumeClaim "model-cache" does not exist');
});

test("a ResourceQuota that refuses the pod is named", async ({ page }) => {
  await open(page, "quota");
  const why = page.getByTestId("why-not-ready");
  await expect(why).toHaveAttribute("data-cause", "quota", { timeout: 30_000 });
  await expect(why).toContainText("The namespace's ResourceQuota does not allow the pod");
  await expect(why).toContainText("gpu-quota");
});

test("seventeen identical events are listed once with their count", async ({ page }) => {
  await open(page, "pvc-unbound");
  const repeated = page.getByTestId("events").getByTestId("event-row").filter({ hasText: REPEATED });
  await expect(repeated).toHaveCount(1);
  await expect(repeated.getByTestId("event-count")).toHaveText("×17");
});

test("a Workspace that failed validation ends its timeline and offers no playground", async ({ page }) => {
  await open(page, "invalid");
  await expect(page.getByTestId("why-not-ready")).toHaveAttribute("data-cause", "validation");
  const bar = page.getByTestId("phase-nodeclaim");
  await expect(bar).toHaveAttribute("data-status", "failed");
  const shown = await bar.textContent();
  await page.waitForTimeout(2_500);
  expect(await bar.textContent()).toBe(shown);
  await expect(page.getByRole("link", { name: "Open in playground" })).toHaveCount(0);
});
