// Workspaces end to end in Chromium against the running product (web + worker + local cluster):
// catalog → form → the timeline fills → Ready → delete; the YAML path with an invalid document;
// and a viewer who can neither see nor forge a create.
import { readFileSync } from "node:fs";
import path from "node:path";

import { expect, test, type Page } from "@playwright/test";

import { upsertUsers } from "./support/e2e-users";
import { replaceEditorText } from "./support/monaco";
import { signIn } from "./support/sign-in";

const SCREENSHOTS = path.resolve(import.meta.dirname, "../../docs/screenshots");
const PASSWORD = "workspaces e2e password";
const OPERATOR = "e2e-ws-operator@example.test";
const VIEWER = "e2e-ws-viewer@example.test";
const NAMESPACE = process.env.E2E_NAMESPACE ?? "default";

test.beforeAll(() =>
  upsertUsers(
    [
      { email: OPERATOR, role: "operator" },
      { email: VIEWER, role: "viewer" },
    ],
    PASSWORD,
  ),
);

const uniqueName = (prefix: string) => `${prefix}-${Date.now().toString(36)}`;

async function workspaceStatus(page: Page, name: string): Promise<number> {
  return (await page.request.get(`/api/workspaces/${NAMESPACE}/${name}`)).status();
}

test("an operator deploys from the catalog with the form, watches it become Ready, then deletes it", async ({
  page,
}) => {
  test.setTimeout(420_000);
  await signIn(page, { email: OPERATOR, password: PASSWORD });

  await page.goto("/models");
  await page.getByLabel("Search models").fill("phi-3");
  await expect(page.getByTestId("model-phi-3-mini-4k-instruct")).toBeVisible();
  await page.getByLabel("Search models").fill("");
  await page.screenshot({ path: `${SCREENSHOTS}/models-catalog.png` });
  await page.getByTestId("model-phi-3-mini-4k-instruct").getByRole("link", { name: "Deploy" }).click();

  await expect(page).toHaveURL(/\/workspaces\/new\?preset=phi-3-mini-4k-instruct/);
  const name = uniqueName("e2e-phi");
  await page.getByLabel("Name", { exact: true }).fill(name);
  await page.getByLabel("Namespace").fill(NAMESPACE);
  // A SKU too small for the model is flagged before anything is sent.
  await page.getByLabel("Model").selectOption("phi-4");
  await page.getByLabel("Instance type").selectOption("Standard_NC6s_v3");
  await expect(page.getByTestId("gpu-fit")).toHaveAttribute("data-fit", "too-small");
  await expect(page.getByTestId("gpu-fit")).toContainText("needs at least 27.31 GiB");
  await page.getByLabel("Model").selectOption("phi-3-mini-4k-instruct");
  await expect(page.getByTestId("gpu-fit")).toHaveAttribute("data-fit", "fits");
  await expect(page.getByTestId("cost-estimate")).toContainText("$3.06/hour");
  // The form writes the YAML the editor shows, and the kubectl tab shows the same document.
  // Monaco is several megabytes: on a busy machine it takes a while the first time.
  await expect(page.getByTestId("yaml-editor").locator(".monaco-editor")).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId("yaml-editor")).toContainText(`name: ${name}`);
  await page.getByRole("tab", { name: "kubectl apply" }).click();
  await expect(page.getByTestId("kubectl-apply")).toContainText("kubectl apply -f -");
  await expect(page.getByTestId("kubectl-apply")).toContainText("instanceType: Standard_NC6s_v3");
  await page.getByRole("tab", { name: "YAML" }).click();
  await expect(page.getByTestId("problems")).toBeEmpty();
  await page.screenshot({ path: `${SCREENSHOTS}/create-form.png`, fullPage: true });

  await page.getByRole("button", { name: "Create workspace" }).click();
  await expect(page).toHaveURL(new RegExp(`/workspaces/${NAMESPACE}/${name}$`), { timeout: 30_000 });

  // The timeline fills while the worker provisions, and the page updates by itself.
  await expect(page.getByTestId("detail-state")).toHaveText("Ready", { timeout: 180_000 });
  for (const type of ["ResourceReady", "InferenceReady", "WorkspaceSucceeded"])
    await expect(page.getByTestId(`condition-${type}`)).toHaveAttribute("data-status", "True", { timeout: 30_000 });
  await expect(page.getByTestId("ready-banner")).toBeVisible();
  for (const phase of ["launch", "image", "model"])
    await expect(page.getByTestId(`phase-${phase}`)).toHaveAttribute("data-status", "done");
  await expect(page.getByTestId("endpoints")).toContainText(`http://${name}.${NAMESPACE}.svc.cluster.local`);
  await page.screenshot({ path: `${SCREENSHOTS}/workspace-detail-timeline.png`, fullPage: true });

  await page.goto("/workspaces");
  await page.getByLabel("Search workspaces").fill(name);
  await expect(page.getByTestId(`workspace-row-${NAMESPACE}-${name}`).getByTestId("workspace-state")).toHaveText(
    "Ready",
  );
  await page.getByLabel("Search workspaces").fill("");
  await page.screenshot({ path: `${SCREENSHOTS}/workspaces-list.png` });

  await page.getByTestId(`workspace-row-${NAMESPACE}-${name}`).getByRole("link", { name }).click();
  await page.getByRole("button", { name: "Delete" }).click();
  const confirm = page.getByRole("button", { name: "Delete workspace" });
  await expect(confirm).toBeDisabled();
  await page.getByLabel("Workspace name to confirm").fill(name);
  await confirm.click();
  await expect(page.getByTestId("workspace-gone")).toBeVisible({ timeout: 120_000 });
  expect(await workspaceStatus(page, name)).toBe(404);
});

test("an invalid YAML document shows its error at the line and creates nothing", async ({ page }) => {
  await signIn(page, { email: OPERATOR, password: PASSWORD });
  await page.goto("/workspaces/new");
  const name = uniqueName("e2e-bad");
  const lines = [
    "apiVersion: kaito.sh/v1beta1",
    "kind: Workspace",
    "metadata:",
    `  name: ${name}`,
    `  namespace: ${NAMESPACE}`,
    "resource:",
    "  instancetype: Standard_NC6s_v3",
    "  labelSelector:",
    "    matchLabels:",
    "      apps: bad",
    "inference:",
    "  preset:",
    "    name: phi-3-mini-4k-instruct",
    "",
  ];
  await replaceEditorText(page, lines.join("\n"));
  // The typo on line 7 is flagged there, in the problem list and as an editor marker.
  await expect(page.getByTestId("problems")).toContainText(
    'Line 7 (resource.instancetype): Unknown field "instancetype" in resource',
  );
  await expect(page.getByTestId("yaml-editor").locator(".squiggly-error").first()).toBeVisible();
  // The form follows the editor.
  await expect(page.getByLabel("Name", { exact: true })).toHaveValue(name);

  await page.getByRole("button", { name: "Create workspace" }).click();
  await expect(page.getByTestId("submit-error")).toContainText("Unknown field");
  expect(await workspaceStatus(page, name)).toBe(404);

  // A syntax error is placed at its line too, and still nothing is created.
  await replaceEditorText(page, lines.join("\n").replace("  labelSelector:", "  labelSelector: [oops"));
  await expect(page.getByTestId("problems")).toContainText("YAML syntax");
  await page.getByRole("button", { name: "Create workspace" }).click();
  await expect(page.getByTestId("submit-error")).toContainText(/^Line \d+: YAML syntax/);
  expect(await workspaceStatus(page, name)).toBe(404);
});

/** The server action id of createWorkspaceAction, from the build the server runs. */
function createActionId(): string {
  const distDir = path.resolve(import.meta.dirname, "../..", process.env.NEXT_DIST_DIR ?? ".next");
  const manifest = JSON.parse(readFileSync(path.join(distDir, "server/server-reference-manifest.json"), "utf8")) as {
    node: Record<string, { filename: string; exportedName: string }>;
  };
  const entry = Object.entries(manifest.node).find(
    ([, v]) => v.filename === "app/workspaces/new/actions.ts" && v.exportedName === "createWorkspaceAction",
  );
  if (!entry) throw new Error("createWorkspaceAction not found in the server reference manifest");
  return entry[0];
}

test("a viewer can neither open the create form nor forge the server action", async ({ page }) => {
  await signIn(page, { email: VIEWER, password: PASSWORD });
  await page.goto("/workspaces");
  await expect(page.getByTestId("stream-status")).toHaveText("Live");
  await expect(page.getByRole("link", { name: "Create workspace" })).toHaveCount(0);
  await page.goto("/models");
  await expect(page.getByRole("link", { name: "Deploy" })).toHaveCount(0);
  await page.goto("/workspaces/new");
  await expect(page.getByText("Your role is read-only")).toBeVisible();
  await expect(page.getByTestId("yaml-editor")).toHaveCount(0);

  const name = uniqueName("e2e-forged");
  const yaml = [
    "apiVersion: kaito.sh/v1beta1",
    "kind: Workspace",
    `metadata: {name: ${name}, namespace: ${NAMESPACE}}`,
    "resource: {instanceType: Standard_NC6s_v3, labelSelector: {matchLabels: {apps: forged}}}",
    "inference: {preset: {name: phi-3-mini-4k-instruct}}",
  ].join("\n");
  const response = await page.request.post("/workspaces/new", {
    headers: {
      "Next-Action": createActionId(),
      "Content-Type": "text/plain;charset=UTF-8",
      Accept: "text/x-component",
    },
    data: JSON.stringify([{ yaml }]),
  });
  const body = await response.text();
  expect(body).toContain('"ok":false');
  expect(body).toContain('"code":"forbidden"');
  expect(await workspaceStatus(page, name)).toBe(404);
});
