// Smaller frictions of #16 defect 10, in Chromium: the audit Action filter matches a resource's
// actions and offers the known ones, Settings tabs live in the URL, counts are pluralised, and a
// new API token has a Copy button.
import { randomBytes } from "node:crypto";

import { expect, test } from "@playwright/test";

import { signIn } from "./support/sign-in";

test("the audit Action filter takes a resource name for all its actions and offers the known actions", async ({
  page,
}) => {
  await signIn(page);
  await page.goto("/audit");
  await expect(page.locator('#audit-actions option[value="auth.login"]')).toHaveCount(1);
  await expect(page.locator('#audit-actions option[value="auth"]')).toHaveAttribute("label", "every auth action");
  await page.getByLabel("Action", { exact: true }).fill("auth");
  await page.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL(/action=auth(&|$)/);
  const rows = page.getByTestId("audit-rows").locator("tr");
  await expect(rows.first()).toContainText("auth.login");
  for (const text of await rows.allTextContents()) expect(text).toMatch(/auth\./);
});

test("the Settings tab is kept in the URL", async ({ page }) => {
  await signIn(page);
  await page.goto("/settings");
  await page.getByRole("tab", { name: "Account" }).click();
  await expect(page).toHaveURL(/\/settings\?tab=account$/);
  await page.reload();
  await expect(page.getByRole("tab", { name: "Account" })).toHaveAttribute("aria-selected", "true");
  await page.goto("/settings?tab=users");
  await expect(page.getByRole("tab", { name: "Users" })).toHaveAttribute("aria-selected", "true");
});

test("one model is counted as one model", async ({ page }) => {
  await signIn(page);
  await page.goto("/models");
  await page.getByLabel("Search models").fill("phi-4-mini-instruct");
  await expect(page.getByTestId("model-count")).toHaveText("1 model");
});

test("a new API token is shown once with a Copy button that puts it on the clipboard, and works within its scope", async ({
  page,
  context,
}) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  await signIn(page);
  await page.goto("/settings?tab=tokens");
  const name = `e2e-copy-${randomBytes(3).toString("hex")}`;
  await page.getByLabel("Token name").fill(name);
  await page.getByLabel("Scope").selectOption("inference");
  await page.getByRole("button", { name: "Create token" }).click();
  const token = (await page.getByTestId("new-token").textContent())!.trim();
  expect(token).toMatch(/^kd_/);

  await page.getByRole("button", { name: "Copy", exact: true }).click();
  await expect(page.getByRole("button", { name: "Copied" })).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(token);

  // The copied token is the credential: it reaches the inference API, and its scope keeps it there.
  const headers = { authorization: `Bearer ${token}` };
  expect((await page.request.get("/api/inference/workspaces", { headers })).status()).toBe(200);
  const outside = await page.request.get("/api/adapters", { headers });
  expect(outside.status()).toBe(403);
  expect(((await outside.json()) as { error: { message: string } }).error.message).toContain(
    'has the scope "inference"',
  );

  // Shown once: after a reload only its prefix is listed.
  await page.reload();
  await expect(page.getByTestId("new-token")).toHaveCount(0);
  await expect(page.getByRole("row").filter({ hasText: name })).toContainText(token.slice(0, 8));
});
