// The create and edit forms as a keyboard and a careful user meet them (issue #16): Tab leaves the
// YAML editor, each problem is reported once, the adapter picker and the adapter name check.
import { randomBytes } from "node:crypto";
import { spawnSync } from "node:child_process";
import path from "node:path";

import { expect, test, type Page } from "@playwright/test";
import { stringify } from "yaml";

import { editableWorkspace } from "../../lib/kaito/workspace-immutability";

import { upsertUsers } from "./support/e2e-users";
import { monacoEditor, replaceEditorText } from "./support/monaco";
import { signIn } from "./support/sign-in";

const NAMESPACE = process.env.E2E_NAMESPACE ?? "default";
const KUBECONFIG = process.env.KUBECONFIG ?? path.resolve(import.meta.dirname, "../../.data/cluster/kubeconfig");
const run = randomBytes(3).toString("hex");

function kubectl(args: string[], input?: string): string {
  const result = spawnSync("kubectl", args, { input, encoding: "utf8", env: { ...process.env, KUBECONFIG } });
  if (result.status !== 0) throw new Error(`kubectl ${args.join(" ")}: ${result.stderr}`);
  return result.stdout;
}

const created: string[] = [];
function applyWorkspace(name: string) {
  kubectl(
    ["apply", "-n", NAMESPACE, "-f", "-"],
    JSON.stringify({
      apiVersion: "kaito.sh/v1beta1",
      kind: "Workspace",
      metadata: { name },
      resource: { instanceType: "Standard_NC6s_v3", labelSelector: { matchLabels: { apps: name } } },
      inference: { preset: { name: "phi-3-mini-4k-instruct" } },
    }),
  );
  created.push(name);
}

test.afterAll(() => {
  for (const name of created)
    spawnSync("kubectl", ["delete", "workspace", "-n", NAMESPACE, name, "--wait=false"], {
      env: { ...process.env, KUBECONFIG },
    });
});

const isFocused = (page: Page, selector: string) =>
  page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector);

test("#16.1 Escape then Tab leaves the YAML editor without changing it, so Create is reachable by keyboard", async ({
  page,
}) => {
  await signIn(page);
  await page.goto("/workspaces/new?preset=phi-3-mini-4k-instruct");
  const editor = await monacoEditor(page);
  // The way out is written next to the editor, not only known to those who know Monaco.
  await expect(page.getByTestId("yaml-editor-hint")).toContainText("Esc, then Tab");

  await editor.locator(".view-lines").click();
  const text = (await editor.locator(".view-lines").textContent()) ?? "";
  await page.keyboard.press("Escape");
  await page.keyboard.press("Tab");
  expect(await isFocused(page, ".monaco-editor textarea, .monaco-editor .native-edit-context")).toBe(false);
  await expect(editor.locator(".view-lines")).toHaveText(text);

  const create = page.getByRole("button", { name: "Create workspace" });
  for (let press = 0; press < 10 && !(await create.evaluate((el) => el === document.activeElement)); press++)
    await page.keyboard.press("Tab");
  await expect(create).toBeFocused();
  await expect(page.getByTestId("problems")).toBeEmpty();
});

test("#16.4 an unknown preset is reported once at the Model field and once in the problem list, before and after Create", async ({
  page,
}) => {
  await signIn(page);
  await page.goto("/workspaces/new");
  const name = `e2e-unknown-${run}`;
  await replaceEditorText(
    page,
    [
      "apiVersion: kaito.sh/v1beta1",
      "kind: Workspace",
      "metadata:",
      `  name: ${name}`,
      `  namespace: ${NAMESPACE}`,
      "resource:",
      "  instanceType: Standard_NC6s_v3",
      "  labelSelector:",
      "    matchLabels:",
      "      apps: unknown",
      "inference:",
      "  preset:",
      "    name: phi-9000",
      "",
    ].join("\n"),
  );
  const problems = page.getByTestId("problems").getByRole("listitem");
  const expectOnce = async () => {
    await expect(problems).toHaveCount(1);
    await expect(problems).toHaveText(/^Line 13 \(inference\.preset\.name\): Unsupported preset name phi-9000/);
    await expect(page.getByTestId("error-ws-model")).toHaveCount(1);
    await expect(page.getByTestId("error-ws-model")).toContainText("Unsupported preset name phi-9000");
    await expect(page.getByTestId("problem-count")).toHaveText("1 problem to fix first");
  };
  await expectOnce();
  await page.getByRole("button", { name: "Create workspace" }).click();
  await expect(page.getByTestId("submit-error")).toBeVisible();
  await expectOnce();
});

test("#16.10 the adapter name field's pattern is a working browser check", async ({ page }) => {
  await signIn(page);
  await page.goto("/adapters/new");
  const name = page.getByLabel("Name");
  await name.fill("Support_Bot");
  expect(await name.evaluate((el: HTMLInputElement) => el.validity.patternMismatch)).toBe(true);
  await name.fill("support-bot.v1");
  expect(await name.evaluate((el: HTMLInputElement) => el.validity.patternMismatch)).toBe(false);
});

test("#16.10 Edit adapters is a labelled picker that writes the chosen adapter to the Workspace", async ({ page }) => {
  const workspace = `e2e-picker-${run}`;
  applyWorkspace(workspace);
  await signIn(page);
  await page.goto(`/workspaces/${NAMESPACE}/${workspace}`);
  await page.getByRole("button", { name: "Edit adapters" }).click();
  const dialog = page.getByRole("dialog", { name: `Adapters of ${workspace}` });
  await dialog.getByRole("button", { name: "Add adapter" }).click();

  // Every control has a visible label; the adapter is picked from a list, an image typed only on request.
  const picker = dialog.getByRole("combobox", { name: "Adapter 1 source" });
  await expect(picker).toBeVisible();
  await picker.selectOption({ label: "Another image…" });
  for (const label of ["Source", "Name", "Image", "Strength"])
    await expect(dialog.locator("label", { hasText: new RegExp(`^${label}$`) })).toBeVisible();
  await dialog.getByRole("textbox", { name: "Adapter 1 name" }).fill("support-bot");
  await dialog.getByRole("textbox", { name: "Adapter 1 image" }).fill("registry.example/support-bot:v1");
  await dialog.getByRole("spinbutton", { name: "Adapter 1 strength" }).fill("0.5");
  await dialog.getByRole("button", { name: "Save adapters" }).click();
  await expect(dialog).toBeHidden();
  await expect
    .poll(() => kubectl(["get", "workspace", "-n", NAMESPACE, workspace, "-o", "jsonpath={.inference.adapters}"]))
    .toContain('"image":"registry.example/support-bot:v1"');
});

test("#16.8 the namespace field suggests existing namespaces, names a missing one on the field, and lets an admin create it", async ({
  page,
}) => {
  const namespace = `e2e-ns-${run}`;
  const name = `e2e-in-new-ns-${run}`;
  await signIn(page);
  await page.goto("/workspaces/new?preset=phi-3-mini-4k-instruct");
  await expect(page.getByTestId("namespace-options").locator(`option[value="${NAMESPACE}"]`)).toHaveCount(1);
  await page.getByLabel("Name", { exact: true }).fill(name);
  await page.getByLabel("Namespace").fill(namespace);
  // Said before anything is sent …
  await expect(page.locator("#ws-namespace-hint")).toContainText(`Namespace "${namespace}" does not exist.`);
  // … and on the field after the cluster refused, instead of "create workspace …: not found".
  await page.getByRole("button", { name: "Create workspace" }).click();
  await expect(page.getByTestId("error-ws-namespace")).toHaveText(
    `Namespace "${namespace}" does not exist. Choose an existing namespace, or have an admin create it.`,
  );
  await expect(page.getByTestId("submit-error")).not.toContainText("not found");

  try {
    await page.getByRole("button", { name: `Create namespace ${namespace}` }).click();
    await expect(page.locator("#ws-namespace-hint")).toHaveText(`Namespace "${namespace}" created.`);
    await expect(page.getByTestId("error-ws-namespace")).toHaveCount(0);
    await page.getByRole("button", { name: "Create workspace" }).click();
    await expect(page).toHaveURL(new RegExp(`/workspaces/${namespace}/${name}$`), { timeout: 30_000 });
  } finally {
    spawnSync("kubectl", ["delete", "namespace", namespace, "--wait=false"], { env: { ...process.env, KUBECONFIG } });
  }
});

test("#16.8 an operator, whom Kubernetes does not let create namespaces, is told to ask an admin instead of offered a button", async ({
  page,
}) => {
  const operator = { email: `e2e-forms-operator-${run}@example.test`, password: "workspace forms e2e password" };
  await upsertUsers([{ email: operator.email, role: "operator" }], operator.password);
  await signIn(page, operator);
  await page.goto("/workspaces/new?preset=phi-3-mini-4k-instruct");
  await expect(page.getByTestId("namespace-options").locator(`option[value="${NAMESPACE}"]`)).toHaveCount(1);
  const missing = `e2e-ns-op-${run}`;
  await page.getByLabel("Namespace").fill(missing);
  await expect(page.locator("#ws-namespace-hint")).toHaveText(
    `Namespace "${missing}" does not exist. Choose an existing one, or ask an admin to create it.`,
  );
  await expect(page.getByRole("button", { name: /Create namespace/ })).toHaveCount(0);
});

/** The document the edit page starts from, built from the live object as the page builds it. */
function liveEditableYaml(name: string): string {
  return stringify(editableWorkspace(JSON.parse(kubectl(["get", "workspace", "-n", NAMESPACE, name, "-o", "json"]))));
}

test("#16.7 Edit changes what the API allows, as a form or as YAML, shows the diff first, and refuses immutable fields and stale versions", async ({
  page,
}) => {
  test.setTimeout(180_000);
  const workspace = `e2e-edit-${run}`;
  applyWorkspace(workspace);
  const configOf = () =>
    kubectl(["get", "workspace", "-n", NAMESPACE, workspace, "-o", "jsonpath={.inference.config}"]);
  await signIn(page);
  await page.goto(`/workspaces/${NAMESPACE}/${workspace}`);
  await page.getByRole("link", { name: "Edit", exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/workspaces/${NAMESPACE}/${workspace}/edit$`));
  await monacoEditor(page);

  // What the CRD forbids changing is read-only, with the reason.
  await expect(page.getByLabel("Instance type")).toBeDisabled();
  await expect(page.locator("#ws-instance-hint")).toContainText("field is immutable");
  await expect(page.getByLabel("Name", { exact: true })).toHaveAttribute("readonly", "");
  await expect(page.locator("#ws-name-hint")).toContainText("cannot be renamed");

  // As a form; the diff comes before the apply, and someone else's change in between is a conflict.
  await page.getByLabel("Inference config ConfigMap").fill("e2e-config-1");
  await page.getByRole("button", { name: "Review changes" }).click();
  await expect(page.getByTestId("edit-diff")).toContainText(/\+\s+config: e2e-config-1/);
  kubectl(["annotate", "workspace", "-n", NAMESPACE, workspace, "e2e.test/touched=by-someone-else"]);
  await page.getByRole("button", { name: "Apply changes" }).click();
  await expect(page.getByTestId("submit-error")).toContainText(`Someone else changed ${NAMESPACE}/${workspace}`);
  expect(configOf()).toBe("");
  await page.getByRole("button", { name: /Load the latest version/ }).click();
  await expect(page.getByTestId("yaml-editor")).toContainText("by-someone-else");
  await page.getByLabel("Inference config ConfigMap").fill("e2e-config-1");
  await page.getByRole("button", { name: "Review changes" }).click();
  await page.getByRole("button", { name: "Apply changes" }).click();
  await expect(page).toHaveURL(new RegExp(`/workspaces/${NAMESPACE}/${workspace}$`));
  expect(configOf()).toBe("e2e-config-1");

  // As YAML: an immutable field changed is refused at its line; an allowed one is applied.
  await page.goto(`/workspaces/${NAMESPACE}/${workspace}/edit`);
  const live = liveEditableYaml(workspace);
  await replaceEditorText(page, live.replace("instanceType: Standard_NC6s_v3", "instanceType: Standard_NC12s_v3"));
  await expect(page.getByTestId("problems")).toContainText(
    /Line \d+ \(resource\.instanceType\): resource\.instanceType cannot be changed/,
  );
  await expect(page.getByRole("button", { name: "Review changes" })).toBeDisabled();
  await replaceEditorText(page, live.replace("config: e2e-config-1", "config: e2e-config-2"));
  await expect(page.getByTestId("problems")).toBeEmpty();
  await page.getByRole("button", { name: "Review changes" }).click();
  await expect(page.getByTestId("edit-diff")).toContainText(/-\s+config: e2e-config-1/);
  await expect(page.getByTestId("edit-diff")).toContainText(/\+\s+config: e2e-config-2/);
  await page.getByRole("button", { name: "Apply changes" }).click();
  await expect(page).toHaveURL(new RegExp(`/workspaces/${NAMESPACE}/${workspace}$`));
  expect(configOf()).toBe("e2e-config-2");
});
