import type { Page } from "@playwright/test";

import { E2E_ADMIN } from "./e2e-env";

/**
 * Signs in through the login form, as a user would, and returns once the shell shows who is
 * signed in. Plain locator waits, no `expect`: the benchmarks call it outside Playwright Test.
 */
export async function signIn(page: Page, credentials: { email: string; password: string } = E2E_ADMIN): Promise<void> {
  await page.goto("/login");
  await page.getByLabel("Email").fill(credentials.email);
  await page.getByLabel("Password").fill(credentials.password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await page.getByTestId("user-email").waitFor({ state: "visible", timeout: 15_000 });
}
