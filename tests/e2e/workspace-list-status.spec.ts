// The workspace list in Chromium: state told honestly (#16 defect 5), full names on hover,
// sortable columns, and filters and sort kept in the URL.
import { randomBytes } from "node:crypto";

import { expect, test } from "@playwright/test";

import { deleteNamespace, kubectl, phi3Workspace, setWorkspaceStatus } from "./support/kubectl";
import { signIn } from "./support/sign-in";

const namespace = `e2e-list-${randomBytes(3).toString("hex")}`;
const LONG = "workspace-phi-3-mini-4k-instruct-with-a-longer-name";

const inference = (name: string) => phi3Workspace(namespace, name);
const tuning = (name: string) => `apiVersion: kaito.sh/v1beta1
kind: Workspace
metadata: {name: ${name}, namespace: ${namespace}}
resource: {instanceType: Standard_NC6s_v3, labelSelector: {matchLabels: {apps: ${name}}}}
tuning:
  preset: {name: phi-3-mini-4k-instruct}
  method: qlora
  input: {urls: ["https://example.com/data.parquet"]}
  output: {image: "registry.example.com/tuned:0.0.1", imagePushSecret: push-secret}
`;
const row = (page: import("@playwright/test").Page, name: string) =>
  page.getByTestId(`workspace-row-${namespace}-${name}`);

test.describe.configure({ mode: "serial" });

test.beforeAll(() => {
  kubectl(["create", "namespace", namespace]);
  kubectl(
    ["apply", "-f", "-"],
    [tuning("tune-stuck"), inference("bad-preset"), inference("waiting"), inference(LONG)].join("---\n"),
  );
  setWorkspaceStatus(namespace, "tune-stuck", "Running", [
    { type: "ResourceReady", status: "True", reason: "workspaceResourceStatusSuccess" },
    { type: "JobStarted", status: "True", reason: "WorkspaceTuningJobStatusStarted" },
    {
      type: "WorkspaceSucceeded",
      status: "False",
      reason: "Unschedulable",
      message: "0/3 nodes are available: 3 Insufficient nvidia.com/gpu",
    },
  ]);
  setWorkspaceStatus(namespace, "bad-preset", "NotReady", [
    { type: "ResourceReady", status: "False", reason: "ValidationFailed", message: "Unknown preset phi-9" },
    { type: "WorkspaceSucceeded", status: "False", reason: "ValidationFailed", message: "Unknown preset phi-9" },
  ]);
  setWorkspaceStatus(namespace, "waiting", "Pending", [
    { type: "ResourceReady", status: "False", reason: "NodeClaimNotReady", message: "Ready NodeClaims are not enough" },
  ]);
  setWorkspaceStatus(namespace, LONG, "Ready", [
    { type: "InferenceReady", status: "True", reason: "WorkspaceInferenceStatusSuccess" },
    { type: "WorkspaceSucceeded", status: "True", reason: "workspaceSucceeded" },
  ]);
});

test.afterAll(() => deleteNamespace(namespace));

test("a stuck tuning job and a failed validation are not shown as Running or Pending, and say why on hover", async ({
  page,
}) => {
  await signIn(page);
  await page.goto(`/workspaces?ns=${namespace}`);
  await expect(page.getByTestId("stream-status")).toHaveText("Live");

  const stuck = row(page, "tune-stuck").getByTestId("workspace-state");
  await expect(stuck).toContainText("Stuck");
  await expect(stuck).not.toContainText("Running");
  await expect(stuck.locator("[data-problem]")).toHaveAttribute(
    "title",
    "Unschedulable: 0/3 nodes are available: 3 Insufficient nvidia.com/gpu (status.state Running)",
  );

  const invalid = row(page, "bad-preset").getByTestId("workspace-state");
  await expect(invalid).toContainText("Invalid");
  await expect(invalid.locator("[data-problem]")).toHaveAttribute("data-problem", "failed");
  await expect(invalid.locator("[data-problem]")).toHaveAttribute("title", /^ValidationFailed: Unknown preset phi-9/);

  await expect(row(page, "waiting").getByTestId("workspace-state")).toHaveText("Pending");
  // A long name is cut in the column but readable in full on hover.
  await expect(row(page, LONG).getByRole("link")).toHaveAttribute("title", LONG);
});

test("rows are table rows of cells, sortable by column, with filters and sort kept in the URL", async ({ page }) => {
  await signIn(page);
  await page.goto("/workspaces");
  await expect(page.getByTestId("stream-status")).toHaveText("Live");
  const table = page.getByRole("table", { name: "Workspaces" });
  await page.getByLabel("Filter by namespace").selectOption(namespace);
  await expect(table.getByRole("row")).toHaveCount(5);
  await expect(table.getByRole("row").nth(1).getByRole("cell")).toHaveCount(12);

  await table.getByRole("columnheader", { name: "State" }).getByRole("button").click();
  await expect(page).toHaveURL(new RegExp(`\\?ns=${namespace}&sort=state$`));
  const names = () =>
    page
      .locator('[data-testid^="workspace-row-"]')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute("data-testid")));
  const worstFirst = ["bad-preset", "tune-stuck", "waiting", LONG].map((n) => `workspace-row-${namespace}-${n}`);
  await expect.poll(names).toEqual(worstFirst);

  // A reload (or a shared link) shows the same view.
  await page.reload();
  await expect(page.getByLabel("Filter by namespace")).toHaveValue(namespace);
  await expect(table.getByRole("columnheader", { name: "State" })).toHaveAttribute("aria-sort", "ascending");
  await expect.poll(names).toEqual(worstFirst);

  await table.getByRole("columnheader", { name: "State" }).getByRole("button").click();
  await expect(page).toHaveURL(/sort=state&dir=desc$/);
  await expect.poll(names).toEqual([...worstFirst].reverse());

  await page.getByLabel("Filter by state").selectOption("Stuck");
  await expect(page).toHaveURL(/state=Stuck/);
  await expect.poll(names).toEqual([`workspace-row-${namespace}-tune-stuck`]);
});
