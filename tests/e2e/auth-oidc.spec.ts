import { expect, test, type Page } from "@playwright/test";

import { signIn } from "./support/sign-in";

async function signInWithSso(page: Page, login: string): Promise<void> {
  await page.goto("/login");
  await page.getByRole("button", { name: "Sign in with Single sign-on" }).click();
  // The provider's own development login and consent pages.
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill("any");
  await page.getByRole("button", { name: "Sign-in" }).click();
  await page.getByRole("button", { name: "Continue" }).click();
}

test("OIDC sign-in maps the groups claim to a role and creates the user", async ({ page }) => {
  await signInWithSso(page, "dana-ops");
  await expect(page.getByTestId("user-email")).toHaveText("SSO dana-ops");
  await expect(page.getByRole("banner")).toContainText("operator");
});

test("OIDC identities without a mapped group are refused, and the refusal is audited", async ({ page, browser }) => {
  await signInWithSso(page, "eve-nobody");
  await expect(page).toHaveURL(/\/login/);
  await expect(page.getByTestId("user-email")).toHaveCount(0);

  const admin = await browser.newPage();
  await signIn(admin);
  await admin.goto("/audit?action=auth.login&outcome=denied");
  await expect(admin.getByTestId("audit-rows")).toContainText("eve-nobody@corp.example");
  await expect(admin.getByTestId("audit-rows")).toContainText("no role for claim groups");
});
