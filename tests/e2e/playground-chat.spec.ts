import { randomBytes } from "node:crypto";
import path from "node:path";

import { expect, test, type Page } from "@playwright/test";

import { deleteNamespace, kubectl, setWorkspaceStatus } from "./support/kubectl";
import { signIn } from "./support/sign-in";

// Drives the playground in Chromium against the running web server, the local cluster and the
// model-server double. Workspaces live in a namespace of this file's own; they are made ready
// through the status subresource, as no GPU pod will ever run here.
const namespace = `e2e-chat-${randomBytes(3).toString("hex")}`;
// The double the web server's INFERENCE_STATIC_URL_TEMPLATE points at (its fault switch lives there).
const modelServer =
  process.env.E2E_MODEL_SERVER_URL ??
  process.env.INFERENCE_STATIC_URL_TEMPLATE?.split("/ws/")[0] ??
  `http://127.0.0.1:${process.env.MODEL_SERVER_PORT ?? 8000}`;
const SCREENSHOTS = path.resolve(import.meta.dirname, "../../docs/screenshots");

function workspaceYaml(name: string, preset: string) {
  return `apiVersion: kaito.sh/v1beta1
kind: Workspace
metadata: {name: ${name}, namespace: ${namespace}}
resource: {instanceType: Standard_NC24ads_A100_v4, labelSelector: {matchLabels: {apps: ${name}}}}
inference: {preset: {name: ${preset}}}
`;
}

const setReady = (name: string) =>
  setWorkspaceStatus(namespace, name, "Ready", [
    {
      type: "InferenceReady",
      status: "True",
      reason: "WorkspaceInferenceStatusSuccess",
      message: "Inference has been deployed successfully",
    },
  ]);

async function setFault(mode: "fail" | "break" | "none") {
  const res = await fetch(`${modelServer}/_double/faults`, {
    method: "POST",
    body: JSON.stringify({ target: `${namespace}/phi`, mode }),
  });
  expect(res.ok).toBe(true);
}

async function openPlayground(page: Page) {
  await signIn(page);
  await page.goto("/playground");
  await expect(page.getByRole("heading", { name: "Playground" })).toBeVisible();
  await page.getByLabel("Workspace for column 1").selectOption(`${namespace}/phi`);
  await expect(page.getByLabel("Model for column 1")).toHaveValue("phi-3-mini-4k-instruct");
}

async function send(page: Page, text: string) {
  await page.getByLabel("Message").fill(text);
  await page.getByRole("button", { name: "Send" }).click();
}

test.describe.configure({ mode: "serial" });

test.beforeAll(() => {
  kubectl(["create", "namespace", namespace]);
  kubectl(
    ["apply", "-f", "-"],
    workspaceYaml("phi", "phi-3-mini-4k-instruct") +
      "---\n" +
      workspaceYaml("mistral", "mistral-7b-instruct") +
      "---\n" +
      workspaceYaml("cold", "phi-3-mini-4k-instruct") +
      "---\n" +
      workspaceYaml("later", "mistral-7b-instruct"),
  );
  setReady("phi");
  setReady("mistral");
  setReady("later");
});

test.afterAll(async () => {
  await setFault("none");
  deleteNamespace(namespace);
});

test("a chat streams and renders Markdown with figures", async ({ page }) => {
  await openPlayground(page);
  await send(page, "Show me some code");
  const answer = page.getByTestId("assistant-message").first();
  await expect(answer).toContainText("Echo from phi-3-mini-4k-instruct:");
  await expect(answer.locator("pre code")).toContainText("const answer = 42;");
  await expect(answer.getByTestId("message-stats")).toContainText(/TTFT \d+ ms/);
  // The server's usage replaces the client's count once the stream ends.
  await expect(answer.getByTestId("message-stats")).not.toContainText("estimated");
});

test("stop ends a long answer", async ({ page }) => {
  await openPlayground(page);
  await send(page, "Give me a long answer");
  const answer = page.getByTestId("assistant-message").first();
  await expect(answer).toContainText("Echo from");
  await page.getByRole("button", { name: "Stop" }).click();
  await expect(answer).toContainText("Stopped.");
  const length = (await answer.innerText()).length;
  await page.waitForTimeout(500);
  expect((await answer.innerText()).length).toBe(length);
  await expect(page.getByRole("button", { name: "Send" })).toBeVisible();
});

test("compare shows two answers side by side", async ({ page }) => {
  await openPlayground(page);
  await page.getByRole("button", { name: /Compare/ }).click();
  await page.getByLabel("Workspace for column 2").selectOption(`${namespace}/mistral`);
  await expect(page.getByLabel("Model for column 2")).toHaveValue("mistral-7b-instruct-v0.3");
  await send(page, "Which model are you?");
  const columns = page.getByTestId("chat-column");
  await expect(columns.nth(0).getByTestId("assistant-message")).toContainText("Echo from phi-3-mini-4k-instruct:");
  await expect(columns.nth(1).getByTestId("assistant-message")).toContainText("Echo from mistral-7b-instruct-v0.3:");
  await page.screenshot({ path: `${SCREENSHOTS}/playground-compare.png` });
});

test("a workspace that is not ready is not offered", async ({ page }) => {
  await openPlayground(page);
  const options = await page.getByLabel("Workspace for column 1").locator("option").allTextContents();
  expect(options).toContain(`${namespace}/phi`);
  expect(options).not.toContain(`${namespace}/cold`);
});

test("a failing model server shows an error instead of hanging", async ({ page }) => {
  await openPlayground(page);
  await setFault("fail");
  await send(page, "Hello?");
  await expect(page.getByTestId("message-error")).toContainText(/failed \(HTTP 500\)/);

  await setFault("break");
  await page.getByRole("button", { name: "Regenerate" }).click();
  await expect(page.getByTestId("message-error")).toContainText("closed the connection mid-answer");
});

test("Open in playground chats with the Workspace it was opened for, not the first ready one", async ({ page }) => {
  await signIn(page);
  await page.goto(`/workspaces/${namespace}/later`);
  await page.getByRole("link", { name: "Open in playground" }).click();
  await expect(page).toHaveURL(new RegExp(`/playground\\?workspace=${namespace}%2Flater$`));
  await expect(page.getByLabel("Workspace for column 1")).toHaveValue(`${namespace}/later`);
  await expect(page.getByLabel("Model for column 1")).toHaveValue("mistral-7b-instruct-v0.3");
  await send(page, "Who answers?");
  await expect(page.getByTestId("assistant-message").first()).toContainText("Echo from mistral-7b-instruct-v0.3:");
});

test("a playground opened for a Workspace that is not ready says so and picks no other", async ({ page }) => {
  await signIn(page);
  await page.goto(`/playground?workspace=${namespace}%2Fcold`);
  await expect(page.getByTestId("requested-workspace-unavailable")).toContainText(`${namespace}/cold is not ready`);
  await expect(page.getByLabel("Workspace for column 1")).toHaveValue("");
  await expect(page.getByRole("button", { name: "Send" })).toBeDisabled();
});

test("Copy as curl says that the request carries the conversation", async ({ page }) => {
  await setFault("none");
  await openPlayground(page);
  await send(page, "First question");
  await expect(page.getByTestId("assistant-message").first()).toContainText("Echo from");
  await page.getByRole("button", { name: "Copy as…" }).click();
  await expect(page.getByTestId("copy-includes-conversation")).toContainText("Includes the whole conversation so far");
  await page.context().grantPermissions(["clipboard-read", "clipboard-write"]);
  await page.getByRole("button", { name: "curl" }).click();
  await expect(page.getByText("with the 2 messages of this conversation")).toBeVisible();
  const snippet = await page.evaluate(() => navigator.clipboard.readText());
  expect(snippet).toContain('"role": "assistant"');
});
