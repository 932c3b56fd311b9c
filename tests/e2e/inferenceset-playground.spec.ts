// The playground offers InferenceSets beside Workspaces (#14.4): a set with ready replicas is
// listed once, marked as a set with its count of ready replicas; "Open in playground" on the
// set's page selects it, and a chat streams through the proxy to one of its replicas. The set and
// its children live in a namespace of this file's own, made ready through the status
// subresource, as no GPU pod runs here and the e2e worker reconciles only its own namespace.
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

import { expect, test, type Page } from "@playwright/test";
import type { AxeResults } from "axe-core";

import { LABEL_CREATED_BY_INFERENCESET } from "../../lib/kaito/inferenceset";

import { deleteNamespace, inferenceSet, kubectl, setWorkspaceStatus } from "./support/kubectl";
import { signIn } from "./support/sign-in";

const namespace = `e2e-setchat-${randomBytes(3).toString("hex")}`;
const SET = "chat-set";
const COLD = "cold-set";
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

function applySet(name: string) {
  kubectl(
    ["apply", "-f", "-"],
    inferenceSet(namespace, name, {
      replicas: 2,
      instanceType: "Standard_NC24ads_A100_v4",
      preset: "phi-4-mini-instruct",
    }),
  );
}

/** A child as the worker makes it: a Workspace labelled with its set. */
function applyChild(set: string, name: string, ready: boolean) {
  kubectl(
    ["apply", "-f", "-"],
    JSON.stringify({
      apiVersion: "kaito.sh/v1beta1",
      kind: "Workspace",
      metadata: { name, namespace, labels: { [LABEL_CREATED_BY_INFERENCESET]: set } },
      resource: { instanceType: "Standard_NC24ads_A100_v4", labelSelector: { matchLabels: { apps: set } } },
      inference: { preset: { name: "phi-4-mini-instruct" } },
    }),
  );
  if (ready)
    setWorkspaceStatus(namespace, name, "Ready", [
      {
        type: "InferenceReady",
        status: "True",
        reason: "WorkspaceInferenceStatusSuccess",
        message: "Inference has been deployed successfully",
      },
    ]);
}

test.describe.configure({ mode: "serial" });

test.beforeAll(() => {
  kubectl(["create", "namespace", namespace]);
  applySet(SET);
  applyChild(SET, `${SET}-bcdfg`, true);
  applyChild(SET, `${SET}-hjklm`, true);
  applyChild(SET, `${SET}-npqrs`, false);
  applySet(COLD);
  applyChild(COLD, `${COLD}-bcdfg`, false);
});

test.afterAll(() => deleteNamespace(namespace));

const serious = (results: AxeResults) =>
  results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.impact} ${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);

async function axe(page: Page): Promise<AxeResults> {
  await page.evaluate(AXE_SOURCE);
  return page.evaluate(() => (window as unknown as { axe: typeof import("axe-core") }).axe.run(document));
}

test("Open in playground on a set's page selects the set, marked with its ready replicas, and a chat streams through it", async ({
  page,
}) => {
  await signIn(page);
  await page.goto(`/inferencesets/${namespace}/${SET}`);
  await page.getByRole("link", { name: "Open in playground" }).click();
  await expect(page).toHaveURL(new RegExp(`/playground\\?inferenceset=${namespace}%2F${SET}$`));

  const picker = page.getByLabel("Workspace for column 1");
  await expect(picker).toHaveValue(`${namespace}/${SET}`);
  await expect(page.getByLabel("Model for column 1")).toHaveValue("phi-4-mini-instruct");
  // The set is offered once, as a set, counting only its ready replicas; the cold one is not offered.
  const sets = picker.locator('optgroup[label="InferenceSets"] option');
  await expect(sets).toHaveText([`${namespace}/${SET} (set, 2 ready replicas)`]);
  const all = await picker.locator("option").allTextContents();
  expect(all.filter((o) => o.includes(COLD))).toEqual([]);
  // Its ready children are still workspaces of their own.
  await expect(picker.locator('optgroup[label="Workspaces"] option', { hasText: `${SET}-bcdfg` })).toHaveCount(1);

  await page.getByLabel("Message").fill("Which replica answers?");
  await page.getByRole("button", { name: "Send" }).click();
  const answer = page.getByTestId("assistant-message").first();
  await expect(answer).toContainText("Echo from phi-4-mini-instruct:");
  await expect(page.getByTestId("message-error")).toHaveCount(0);

  for (const theme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme: theme });
    expect(serious(await axe(page)), `axe on the playground with a set in ${theme}`).toEqual([]);
  }
});

test("a playground opened for a set without a ready replica says so and picks nothing else", async ({ page }) => {
  await signIn(page);
  await page.goto(`/playground?inferenceset=${namespace}%2F${COLD}`);
  await expect(page.getByTestId("requested-workspace-unavailable")).toContainText(
    `InferenceSet ${namespace}/${COLD} has no replica ready for inference`,
  );
  await expect(page.getByLabel("Workspace for column 1")).toHaveValue("");
  await expect(page.getByRole("button", { name: "Send" })).toBeDisabled();
});
