// Adapters end to end in Chromium: upload through the form (progress bar, validation error shown
// on its field), the adapter page with the parsed config, attach to a Workspace with the strength
// slider → the Workspace in the cluster lists it, then delete refused while attached.
import { randomBytes } from "node:crypto";
import { spawnSync } from "node:child_process";
import path from "node:path";

import { expect, test } from "@playwright/test";

import { startRegistry, type RunningRegistry } from "../../dev/registry/start-registry";

import { loraSafetensors } from "./support/adapter-files";
import { kubectl } from "./support/kubectl";
import { signIn } from "./support/sign-in";

const SCREENSHOTS = path.resolve(import.meta.dirname, "../../docs/screenshots");
const REGISTRY_URL = process.env.ADAPTER_REGISTRY_URL ?? "http://127.0.0.1:5002";
const NAMESPACE = process.env.E2E_NAMESPACE ?? "default";
const KUBECONFIG = process.env.KUBECONFIG ?? path.resolve(import.meta.dirname, "../../.data/cluster/kubeconfig");
const run = randomBytes(3).toString("hex");
const ADAPTER = `e2e-lora-${run}`;
const WORKSPACE = `e2e-adapters-${run}`;

let ownRegistry: RunningRegistry | undefined;

const config = (peftType = "LORA") =>
  Buffer.from(
    JSON.stringify({
      peft_type: peftType,
      r: 8,
      lora_alpha: 16,
      target_modules: ["q_proj"],
      base_model_name_or_path: "microsoft/Phi-3-mini-4k-instruct",
    }),
  );

test.beforeAll(async () => {
  // The web server pushes to ADAPTER_REGISTRY_URL (default 127.0.0.1:5002); bring one up there
  // unless `npm start` or CI already runs it.
  const up = await fetch(`${REGISTRY_URL}/v2/`).then(
    (r) => r.ok || r.status === 401,
    () => false,
  );
  if (!up) ownRegistry = await startRegistry({ port: Number(new URL(REGISTRY_URL).port) });
  kubectl(
    ["apply", "-n", NAMESPACE, "-f", "-"],
    JSON.stringify({
      apiVersion: "kaito.sh/v1beta1",
      kind: "Workspace",
      metadata: { name: WORKSPACE },
      resource: { instanceType: "Standard_NC6s_v3", labelSelector: { matchLabels: { apps: WORKSPACE } } },
      inference: { preset: { name: "phi-3-mini-4k-instruct" } },
    }),
  );
});

test.afterAll(async () => {
  spawnSync("kubectl", ["delete", "workspace", "-n", NAMESPACE, WORKSPACE, "--wait=false"], {
    env: { ...process.env, KUBECONFIG },
  });
  await ownRegistry?.stop();
});

test("upload an adapter, see it validated, attach it to a workspace", async ({ page }) => {
  await signIn(page);
  await page.goto("/adapters/new");

  // A wrong peft_type is reported and nothing is created.
  await page.getByLabel("Name").fill(ADAPTER);
  await page.locator("#files").setInputFiles([
    { name: "adapter_config.json", mimeType: "application/json", buffer: config("PREFIX_TUNING") },
    { name: "adapter_model.safetensors", mimeType: "application/octet-stream", buffer: loraSafetensors() },
  ]);
  await page.getByRole("button", { name: "Upload and publish" }).click();
  await expect(page.getByRole("alert").first()).toContainText('peft_type must be "LORA"');

  await page.locator("#files").setInputFiles([
    { name: "adapter_config.json", mimeType: "application/json", buffer: config() },
    { name: "adapter_model.safetensors", mimeType: "application/octet-stream", buffer: loraSafetensors() },
  ]);
  await page.getByRole("button", { name: "Upload and publish" }).click();
  await page.waitForURL(`**/adapters/${ADAPTER}`);
  await expect(page.getByRole("heading", { name: ADAPTER })).toBeVisible();
  await expect(page.getByText(`kaito-adapters/${ADAPTER}@sha256:`)).toBeVisible();
  await expect(page.locator("pre")).toContainText('"peft_type": "LORA"');

  await page.getByLabel("Workspace").selectOption(`${NAMESPACE}/${WORKSPACE}`);
  await page.getByLabel("Strength").fill("0.5");
  await page.getByRole("button", { name: "Attach", exact: true }).click();
  await expect(page.getByRole("table", { name: "Attached workspaces" })).toContainText(`${NAMESPACE}/${WORKSPACE}`);
  await page.screenshot({ path: `${SCREENSHOTS}/adapter-detail.png`, fullPage: true });

  const adapters = JSON.parse(
    kubectl(["get", "workspace", "-n", NAMESPACE, WORKSPACE, "-o", "jsonpath={.inference.adapters}"]),
  );
  expect(adapters).toEqual([
    expect.objectContaining({ source: expect.objectContaining({ name: ADAPTER }), strength: "0.5" }),
  ]);

  // Delete is refused while attached: the button is disabled, and the API says why.
  await expect(page.getByRole("button", { name: "Delete" })).toBeDisabled();
  const refused = await page.request.delete(`/api/adapters/${ADAPTER}`);
  expect(refused.status()).toBe(409);

  await page.goto("/adapters");
  await expect(page.getByRole("table", { name: "Adapters" })).toContainText(ADAPTER);
  await expect(page.getByRole("table", { name: "Adapters" })).toContainText(`${NAMESPACE}/${WORKSPACE}`);

  // Detached, it can be deleted; the confirmation is an in-page dialog that Cancel leaves untouched.
  await page.goto(`/adapters/${ADAPTER}`);
  await page.getByRole("button", { name: "Detach" }).click();
  await expect(page.getByText("Not attached to any workspace.")).toBeVisible();
  await page.getByRole("button", { name: "Delete", exact: true }).click();
  const confirm = page.getByRole("dialog", { name: `Delete adapter ${ADAPTER}?` });
  await expect(confirm.getByRole("button", { name: "Cancel" })).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(confirm).toBeHidden();
  await expect(page.getByRole("heading", { name: ADAPTER })).toBeVisible();
  await page.getByRole("button", { name: "Delete", exact: true }).click();
  await confirm.getByRole("button", { name: "Delete adapter" }).click();
  await page.waitForURL("**/adapters");
  await expect(page.getByRole("main")).not.toContainText(ADAPTER);
});
