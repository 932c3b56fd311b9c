// Attaching a LoRA adapter in Chromium (#16 defect 3): the picker offers the Workspaces that serve
// the adapter's base model, ready ones first; another base model takes a typed confirmation that
// the audit trail records, and the server refuses it without one whoever asks.
import { randomBytes } from "node:crypto";

import { expect, test } from "@playwright/test";

import { startRegistry, type RunningRegistry } from "../../dev/registry/start-registry";

import { deleteNamespace, kubectl, setWorkspaceStatus } from "./support/kubectl";
import { loraSafetensors } from "./support/adapter-files";
import { signIn } from "./support/sign-in";

const REGISTRY_URL = process.env.ADAPTER_REGISTRY_URL ?? "http://127.0.0.1:5002";
const namespace = `e2e-attach-${randomBytes(3).toString("hex")}`;
const ADAPTER = `e2e-phi3-lora-${randomBytes(3).toString("hex")}`;
let ownRegistry: RunningRegistry | undefined;

const workspace = (name: string, preset: string) => `apiVersion: kaito.sh/v1beta1
kind: Workspace
metadata: {name: ${name}, namespace: ${namespace}}
resource: {instanceType: Standard_NC24ads_A100_v4, labelSelector: {matchLabels: {apps: ${name}}}}
inference: {preset: {name: ${preset}}}
`;
const ready = (name: string) =>
  setWorkspaceStatus(namespace, name, "Ready", [
    { type: "InferenceReady", status: "True", reason: "WorkspaceInferenceStatusSuccess" },
  ]);

const attached = (name: string) =>
  kubectl(["get", "workspace", "-n", namespace, name, "-o", "jsonpath={.inference.adapters[*].source.name}"]).trim();

test.beforeAll(async () => {
  const up = await fetch(`${REGISTRY_URL}/v2/`).then(
    (r) => r.ok || r.status === 401,
    () => false,
  );
  if (!up) ownRegistry = await startRegistry({ port: Number(new URL(REGISTRY_URL).port) });
  kubectl(["create", "namespace", namespace]);
  kubectl(
    ["apply", "-f", "-"],
    [
      workspace("phi3-ready", "phi-3-mini-4k-instruct"),
      workspace("phi3-cold", "phi-3-mini-4k-instruct"),
      workspace("phi4", "phi-4"),
    ].join("---\n"),
  );
  ready("phi3-ready");
  ready("phi4");
});

test.afterAll(async () => {
  deleteNamespace(namespace);
  await ownRegistry?.stop();
});

test("an adapter for Phi-3-mini is offered Phi-3-mini Workspaces and attaches to phi-4 only with a typed, audited override", async ({
  page,
}) => {
  await signIn(page);
  const form = new FormData();
  form.append("name", ADAPTER);
  form.append("baseModel", "microsoft/Phi-3-mini-4k-instruct");
  const config = JSON.stringify({
    peft_type: "LORA",
    r: 8,
    lora_alpha: 16,
    target_modules: ["q_proj"],
    base_model_name_or_path: "microsoft/Phi-3-mini-4k-instruct",
  });
  form.append("files", new Blob([config]), "adapter_config.json");
  form.append("files", new Blob([new Uint8Array(loraSafetensors())]), "adapter_model.safetensors");
  // Same-origin, as the browser's own requests are.
  const origin = { origin: new URL(page.url()).origin };
  const uploaded = await page.request.post("/api/adapters", { multipart: form, headers: origin });
  expect(uploaded.status(), await uploaded.text()).toBeLessThan(300);

  await page.goto(`/adapters/${ADAPTER}`);
  const picker = page.getByLabel("Workspace", { exact: true });
  await expect(picker.locator('optgroup[label^="Ready"] option')).toContainText([`${namespace}/phi3-ready`]);
  await expect(picker.locator('optgroup[label^="Not ready yet"] option')).toContainText([`${namespace}/phi3-cold`]);
  await expect(picker.locator("option", { hasText: `${namespace}/phi4` })).toHaveCount(0);
  // A ready Workspace that serves the adapter's base model is chosen first.
  await expect(picker.locator('optgroup[label^="Ready"] option:checked')).toHaveCount(1);

  // The server refuses the mismatch on its own, without the browser's help.
  const refused = await page.request.post(`/api/adapters/${ADAPTER}/attachments`, {
    data: { namespace, workspace: "phi4", strength: 1 },
    headers: origin,
  });
  expect(refused.status()).toBe(409);
  expect(await refused.text()).toContain("was trained on microsoft/Phi-3-mini-4k-instruct");
  expect(attached("phi4")).toBe("");

  await page.getByLabel(/Also list the ones serving another base model/).check();
  await picker.selectOption(`${namespace}/phi4`);
  await expect(page.getByTestId("base-model-mismatch")).toContainText(
    "was trained on microsoft/Phi-3-mini-4k-instruct",
  );
  const attach = page.getByRole("button", { name: "Attach", exact: true });
  await expect(attach).toBeDisabled();
  await page.getByLabel("Type phi4 to attach it anyway").fill("phi4");
  await attach.click();
  await expect(page.getByRole("table", { name: "Attached workspaces" })).toContainText(`${namespace}/phi4`);
  expect(attached("phi4")).toBe(ADAPTER);

  const audit = await page.request.get(
    `/api/audit/events?action=adapter.attach&namespace=${namespace}&target=phi4&outcome=succeeded`,
  );
  const { events } = (await audit.json()) as { events: { summary: string }[] };
  expect(events.map((e) => e.summary)).toEqual([
    expect.stringContaining(
      "although it was trained on microsoft/Phi-3-mini-4k-instruct and the Workspace serves phi-4",
    ),
  ]);
});
