// Smaller frictions of #16 defect 10, in Chromium: the audit Action filter matches a resource's
// actions and offers the known ones, Settings tabs live in the URL, and counts are pluralised.
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
