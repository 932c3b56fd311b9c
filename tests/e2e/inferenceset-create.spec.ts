// Creating an InferenceSet on the create page (#14.5): chosen as the kind on the Workspace form,
// with replicas, a node limit, a rollout bound and keda-kaito-scaler's autoscaling annotations;
// the e2e worker brings it to two ready replicas in the list. Bad input is refused at the field
// and at the YAML line, creates nothing and is audited; a pasted `kind: InferenceSet` works too.
// The same by keyboard alone: every field the set adds is reached with Tab and filled by typing,
// Create is pressed with Enter; a bad value is named to whoever reaches its field.
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

import { expect, test, type Page } from "@playwright/test";
import type { AxeResults } from "axe-core";

import { E2E_NAMESPACE } from "./support/e2e-env";
import { tabAndType, tabTo } from "./support/keyboard";
import { deleteInferenceSet, kubectl } from "./support/kubectl";
import { monacoEditor, replaceEditorText } from "./support/monaco";
import { signIn } from "./support/sign-in";

const SCREENSHOTS = path.resolve(import.meta.dirname, "../../docs/screenshots");
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
const run = randomBytes(3).toString("hex");
const created: string[] = [];

test.describe.configure({ mode: "serial" });

test.afterAll(() => {
  for (const name of created) deleteInferenceSet(E2E_NAMESPACE, name);
});

const setExists = (name: string) =>
  kubectl(["get", "is", "-n", E2E_NAMESPACE, "--ignore-not-found", "-o", "name", name]).trim() !== "";

/** The create page switched to InferenceSet, with the model, instance type, name and namespace filled in. */
async function openSetForm(page: Page, name: string) {
  await page.goto("/workspaces/new?preset=phi-4-mini-instruct");
  await monacoEditor(page);
  await page.getByRole("radio", { name: /InferenceSet/ }).check();
  await expect(page.getByRole("form", { name: "InferenceSet form" })).toBeVisible();
  await page.getByLabel("Name", { exact: true }).fill(name);
  await page.getByLabel("Namespace").fill(E2E_NAMESPACE);
  await page.getByLabel("Instance type").selectOption("Standard_NC24ads_A100_v4");
}

/** The set both create tests fill in: 2 replicas, at most 4 nodes, 1 down in a rollout, KEDA up to 4 at 10 waiting. */
function expectAutoscaledSet(name: string) {
  const set = JSON.parse(kubectl(["get", "is", name, "-n", E2E_NAMESPACE, "-o", "json"])) as {
    metadata: { annotations: Record<string, string> };
    spec: { replicas: number; nodeCountLimit: number; updateStrategy: unknown };
  };
  expect(set.spec).toMatchObject({
    replicas: 2,
    nodeCountLimit: 4,
    updateStrategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 1 } },
  });
  expect(set.metadata.annotations).toMatchObject({
    "scaledobject.kaito.sh/auto-provision": "true",
    "scaledobject.kaito.sh/max-replicas": "4",
    "scaledobject.kaito.sh/threshold": "10",
    "scaledobject.kaito.sh/metricName": "vllm:num_requests_waiting",
  });
}

async function axe(page: Page): Promise<AxeResults> {
  await page.evaluate(AXE_SOURCE);
  return page.evaluate(() => (window as unknown as { axe: typeof import("axe-core") }).axe.run(document));
}

const serious = (results: AxeResults) =>
  results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.impact} ${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);

test("an operator creates an autoscaled InferenceSet of 2 replicas from the form; it is listed and both become ready", async ({
  page,
}) => {
  test.setTimeout(240_000);
  const name = `e2e-iset-${run}`;
  await signIn(page);
  await openSetForm(page, name);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Create InferenceSet");
  // The Workspace fields a set's template cannot hold are gone.
  await expect(page.getByLabel("Nodes", { exact: true })).toHaveCount(0);

  await page.getByLabel("Replicas", { exact: true }).fill("2");
  await page.getByLabel("Node limit").fill("4");
  await page.getByLabel("Max unavailable").fill("1");
  await page.getByLabel(/Autoscale with KEDA/).check();
  await page.getByLabel("Max replicas").fill("4");
  await page.getByLabel("Threshold").fill("10");
  await page.getByLabel("Metric").fill("vllm:num_requests_waiting");

  // The form writes an InferenceSet the editor and the kubectl tab show.
  await page.getByRole("tab", { name: "kubectl apply" }).click();
  const applied = page.getByTestId("kubectl-apply");
  for (const line of [
    "kind: InferenceSet",
    'scaledobject.kaito.sh/auto-provision: "true"',
    'scaledobject.kaito.sh/max-replicas: "4"',
    'scaledobject.kaito.sh/threshold: "10"',
    "replicas: 2",
    "nodeCountLimit: 4",
    "maxUnavailable: 1",
    "instanceType: Standard_NC24ads_A100_v4",
  ])
    await expect(applied).toContainText(line);
  await page.getByRole("tab", { name: "YAML" }).click();
  await expect(page.getByTestId("problems")).toBeEmpty();
  await expect(page.getByTestId("problem-count")).not.toContainText("problem");
  // Each replica is a GPU node of its own: the estimate is for the set.
  await expect(page.getByTestId("cost-estimate")).toContainText("/month for 2 replicas");

  for (const theme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme: theme });
    expect(serious(await axe(page)), `axe on the InferenceSet form in ${theme}`).toEqual([]);
  }
  await page.emulateMedia({ colorScheme: "light" });
  await page.screenshot({ path: `${SCREENSHOTS}/inferenceset-create.png`, fullPage: true });

  await page.getByRole("button", { name: "Create InferenceSet" }).click();
  created.push(name);
  await expect(page).toHaveURL(new RegExp(`/inferencesets/${E2E_NAMESPACE}/${name}$`), { timeout: 30_000 });

  expectAutoscaledSet(name);

  const row = page.getByTestId(`inferenceset-row-${E2E_NAMESPACE}-${name}`);
  await expect(async () => {
    await page.goto(`/workspaces?ns=${E2E_NAMESPACE}`);
    await expect(row.getByTestId("inferenceset-ready-replicas")).toHaveText("2", { timeout: 1_000 });
  }).toPass({ timeout: 180_000 });
  await expect(row.getByTestId("inferenceset-replicas")).toHaveText("2");
  await expect(row).toContainText("phi-4-mini-instruct");

  await page.goto("/audit?action=inferenceset.create&outcome=succeeded");
  await expect(page.getByTestId("audit-rows")).toContainText(
    `Created inferenceset ${E2E_NAMESPACE}/${name} (2 × phi-4-mini-instruct on Standard_NC24ads_A100_v4)`,
  );
});

test("bad input is shown at its field and YAML line, creates nothing, and the refusal is audited", async ({ page }) => {
  test.setTimeout(120_000);
  const name = `e2e-iset-bad-${run}`;
  await signIn(page);
  await openSetForm(page, name);
  await page.getByLabel("Replicas", { exact: true }).fill("-1");
  await page.getByLabel("Node limit").fill("0");
  await page.getByLabel(/Autoscale with KEDA/).check();
  await page.getByLabel("Threshold").fill("ten");

  await expect(page.getByTestId("error-is-replicas")).toHaveText("spec.replicas must be at least 0");
  await expect(page.getByTestId("error-is-node-limit")).toContainText("spec.nodeCountLimit must be at least 1");
  await expect(page.getByTestId("error-is-threshold")).toHaveText(
    'scaledobject.kaito.sh/threshold must be a non-negative integer, got "ten"',
  );
  const problems = page.getByTestId("problems");
  await expect(problems).toContainText(/Line \d+ \(spec\.replicas\): spec\.replicas must be at least 0/);

  await page.getByRole("button", { name: "Create InferenceSet" }).click();
  await expect(page.getByTestId("submit-error")).toContainText("spec.replicas must be at least 0");
  expect(setExists(name)).toBe(false);

  // With the counts fixed, a maximum below the replicas is refused at its own field.
  await page.getByLabel("Replicas", { exact: true }).fill("3");
  await page.getByLabel("Node limit").fill("");
  await page.getByLabel("Threshold").fill("5");
  await page.getByLabel("Max replicas").fill("2");
  await expect(page.getByTestId("error-is-max-replicas")).toHaveText(
    "scaledobject.kaito.sh/max-replicas (2) is less than spec.replicas (3): the autoscaler would scale the set down at once",
  );
  await expect(page.getByTestId("error-is-replicas")).toHaveCount(0);
  for (const theme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme: theme });
    expect(serious(await axe(page)), `axe on the refused InferenceSet form in ${theme}`).toEqual([]);
  }
  await page.getByRole("button", { name: "Create InferenceSet" }).click();
  await expect(page.getByTestId("submit-error")).toContainText("max-replicas (2) is less than spec.replicas (3)");
  expect(setExists(name)).toBe(false);

  await page.goto("/audit?action=inferenceset.create&outcome=failed");
  await expect(page.getByTestId("audit-rows")).toContainText(`InferenceSet ${E2E_NAMESPACE}/${name}`);
});

test("an InferenceSet pasted as YAML switches the form to it, is checked at its lines, and is created", async ({
  page,
}) => {
  const name = `e2e-iset-yaml-${run}`;
  await signIn(page);
  await page.goto("/workspaces");
  await page.getByRole("link", { name: "Create InferenceSet" }).click();
  await expect(page.getByRole("radio", { name: /InferenceSet/ })).toBeChecked();
  const lines = [
    "apiVersion: kaito.sh/v1alpha1",
    "kind: InferenceSet",
    "metadata:",
    `  name: ${name}`,
    `  namespace: ${E2E_NAMESPACE}`,
    "spec:",
    "  replicas: -2",
    "  labelSelector:",
    "    matchLabels:",
    `      apps: ${name}`,
    "  template:",
    "    resource:",
    "      instanceType: Standard_NC24ads_A100_v4",
    "    inference:",
    "      preset:",
    "        name: phi-4-mini-instruct",
    "",
  ];
  await replaceEditorText(page, lines.join("\n"));
  await expect(page.getByRole("radio", { name: /InferenceSet/ })).toBeChecked();
  await expect(page.getByLabel("Replicas", { exact: true })).toHaveValue("-2");
  await expect(page.getByTestId("problems")).toHaveText("Line 7 (spec.replicas): spec.replicas must be at least 0");
  await expect(page.getByTestId("yaml-editor").locator(".squiggly-error").first()).toBeVisible();

  // Zero replicas is a set that waits to be scaled: nothing to provision.
  await replaceEditorText(page, lines.join("\n").replace("replicas: -2", "replicas: 0"));
  await expect(page.getByTestId("problems")).toBeEmpty();
  await expect(page.getByLabel("Model")).toHaveValue("phi-4-mini-instruct");
  await page.getByRole("button", { name: "Create InferenceSet" }).click();
  created.push(name);
  await expect(page).toHaveURL(new RegExp(`/inferencesets/${E2E_NAMESPACE}/${name}$`), { timeout: 30_000 });
  expect(kubectl(["get", "is", name, "-n", E2E_NAMESPACE, "-o", "jsonpath={.spec.replicas}"])).toBe("0");
});

/** The create page by keyboard: InferenceSet chosen with the arrow keys, named, in the suite's namespace. */
async function chooseSetByKeyboard(page: Page, name: string) {
  await page.goto("/workspaces/new?preset=phi-4-mini-instruct");
  await monacoEditor(page);
  await tabTo(page, page.getByRole("radio", { name: /Workspace/ }));
  await page.keyboard.press("ArrowDown");
  await expect(page.getByRole("radio", { name: /InferenceSet/ })).toBeChecked();
  await expect(page.getByRole("form", { name: "InferenceSet form" })).toBeVisible();
  await tabAndType(page, page.getByLabel("Name", { exact: true }), name);
  await tabAndType(page, page.getByLabel("Namespace"), E2E_NAMESPACE);
}

test("an InferenceSet is created by keyboard alone: Tab to each field, type, Enter on Create", async ({ page }) => {
  test.setTimeout(120_000);
  const name = `e2e-iset-kbd-${run}`;
  await signIn(page);
  await chooseSetByKeyboard(page, name);

  await tabAndType(page, page.getByLabel("Replicas", { exact: true }), "2");
  await tabAndType(page, page.getByLabel("Node limit"), "4");
  await tabAndType(page, page.getByLabel("Max unavailable"), "1");
  await tabTo(page, page.getByLabel(/Autoscale with KEDA/));
  await page.keyboard.press("Space");
  await expect(page.getByLabel(/Autoscale with KEDA/)).toBeChecked();
  await tabAndType(page, page.getByLabel("Max replicas"), "4");
  await tabAndType(page, page.getByLabel("Threshold"), "10");
  await tabAndType(page, page.getByLabel("Metric"), "vllm:num_requests_waiting");
  await expect(page.getByTestId("problems")).toBeEmpty();

  await tabTo(page, page.getByRole("button", { name: "Create InferenceSet" }));
  await page.keyboard.press("Enter");
  created.push(name);
  await expect(page).toHaveURL(new RegExp(`/inferencesets/${E2E_NAMESPACE}/${name}$`), { timeout: 30_000 });

  expectAutoscaledSet(name);

  await page.goto(`/workspaces?ns=${E2E_NAMESPACE}`);
  const row = page.getByTestId(`inferenceset-row-${E2E_NAMESPACE}-${name}`);
  await expect(row.getByTestId("inferenceset-replicas")).toHaveText("2");
  await expect(row).toContainText("phi-4-mini-instruct");
});

test("a bad value typed by keyboard is reported at its field, to whoever reaches it, and nothing is created", async ({
  page,
}) => {
  const name = `e2e-iset-kbd-bad-${run}`;
  const message = 'scaledobject.kaito.sh/threshold must be a non-negative integer, got "ten"';
  // The input's description: its hint, then the error.
  const describedByError = new RegExp(`${message.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`);
  await signIn(page);
  await chooseSetByKeyboard(page, name);
  await tabTo(page, page.getByLabel(/Autoscale with KEDA/));
  await page.keyboard.press("Space");
  const threshold = page.getByLabel("Threshold");
  await tabAndType(page, threshold, "ten");

  await expect(page.getByTestId("error-is-threshold")).toHaveText(message);
  await expect(threshold).toHaveAttribute("aria-invalid", "true");
  await expect(threshold).toHaveAccessibleDescription(describedByError);

  await tabTo(page, page.getByRole("button", { name: "Create InferenceSet" }));
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("submit-error")).toContainText("scaledobject.kaito.sh/threshold must be");
  expect(setExists(name)).toBe(false);

  // Back from Create to the field the error is at, by keyboard; the error is still named there.
  await tabTo(page, threshold, { back: true });
  await expect(threshold).toHaveAccessibleDescription(describedByError);
  await page.keyboard.press("ControlOrMeta+A");
  await page.keyboard.type("5");
  await expect(page.getByTestId("error-is-threshold")).toHaveCount(0);
  await expect(threshold).toHaveAttribute("aria-invalid", "false");
});
