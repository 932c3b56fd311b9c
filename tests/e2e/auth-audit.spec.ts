import { readFile } from "node:fs/promises";
import path from "node:path";

import { expect, test } from "@playwright/test";

import { E2E_ADMIN } from "./support/e2e-env";
import { signIn } from "./support/sign-in";

const SCREENSHOTS = path.resolve(import.meta.dirname, "../../docs/screenshots");

test("a wrong password is refused on the form and then shows up in the audit log", async ({ page }) => {
  await page.goto("/audit");
  await expect(page).toHaveURL(/\/login\?callbackUrl=%2Faudit/);
  await page.getByLabel("Email").fill(E2E_ADMIN.email);
  await page.getByLabel("Password").fill("not-the-password");
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByTestId("login-error")).toHaveText("Wrong email or password.");

  await signIn(page);
  await page.goto("/audit?action=auth.login&outcome=failed");
  const rows = page.getByTestId("audit-rows").locator("tr");
  await expect(rows.first()).toContainText("auth.login");
  await expect(rows.first()).toContainText("Wrong password");
});

test("sign in, read the audit log, filter it, open an event and export the filtered set", async ({ page }) => {
  const response = await page.goto("/login");
  const headers = response!.headers();
  expect(headers["content-security-policy"]).toContain("frame-ancestors 'none'");
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");

  await signIn(page);
  await page.getByRole("link", { name: "Audit log" }).click();
  await expect(page.getByRole("heading", { name: "Audit log" })).toBeVisible();
  await expect(page.getByTestId("audit-rows")).toContainText("auth.login");
  await expect(page.getByTestId("audit-rows")).toContainText("user.create");
  await page.screenshot({ path: `${SCREENSHOTS}/audit-log.png` });

  await page.getByLabel("Action", { exact: true }).fill("auth.login");
  await page.getByLabel("Outcome", { exact: true }).selectOption("succeeded");
  await page.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL(/action=auth.login/);
  const rows = page.getByTestId("audit-rows").locator("tr");
  await expect(rows.first()).toContainText("Signed in with password");
  for (const text of await rows.allInnerTexts()) expect(text).toContain("auth.login");

  await rows.first().getByRole("button").click();
  const detail = page.getByTestId("audit-detail");
  await expect(detail).toContainText(E2E_ADMIN.email);
  await expect(detail).toContainText("Request id");
  await page.keyboard.press("Escape");
  await expect(detail).toBeHidden();

  const downloadPromise = page.waitForEvent("download");
  await page.getByRole("link", { name: "Export CSV" }).click();
  const download = await downloadPromise;
  expect(download.suggestedFilename()).toMatch(/^audit-.*\.csv$/);
  const csv = await readFile((await download.path())!, "utf8");
  const lines = csv.trim().split("\r\n");
  expect(lines[0]).toMatch(/^id,occurredAt,actorEmail/);
  expect(lines.length).toBeGreaterThan(1);
  for (const line of lines.slice(1)) {
    expect(line).toContain(",auth.login,");
    expect(line).toContain(",succeeded,");
  }

  await page.getByLabel("From", { exact: true }).fill("2030-01-01T00:00:00");
  await page.getByLabel("To", { exact: true }).fill("2020-01-01T00:00:00");
  await page.getByRole("button", { name: "Apply filters" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "The time range ends before it starts" })).toBeVisible();
});
