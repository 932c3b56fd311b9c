// InferenceSets in Chromium: upstream's phi-4 set, reconciled by the e2e worker, appears above the
// workspace list with its replicas and ready replicas; its page lists the child workspaces with
// their own state and links; an operator changes the replica count there, the worker follows,
// and the audit log records who scaled it from what to what.
import { randomBytes } from "node:crypto";

import { expect, test } from "@playwright/test";

import { E2E_NAMESPACE } from "./support/e2e-env";
import { deleteInferenceSet, inferenceSet, kubectl } from "./support/kubectl";
import { signIn } from "./support/sign-in";

const name = `e2e-set-${randomBytes(3).toString("hex")}`;

test.describe.configure({ mode: "serial" });

test.beforeAll(() => {
  kubectl(
    ["apply", "-f", "-"],
    inferenceSet(E2E_NAMESPACE, name, {
      replicas: 1,
      nodeCountLimit: 5,
      instanceType: "Standard_NC24ads_A100_v4",
      preset: "phi-4-mini-instruct",
    }),
  );
});

test.afterAll(() => {
  deleteInferenceSet(E2E_NAMESPACE, name);
});

test("the set is listed with its replicas and ready replicas, and its page shows the child workspace", async ({
  page,
}) => {
  await signIn(page);
  const row = page.getByTestId(`inferenceset-row-${E2E_NAMESPACE}-${name}`);
  await expect(async () => {
    await page.goto(`/workspaces?ns=${E2E_NAMESPACE}`);
    await expect(row.getByTestId("inferenceset-ready-replicas")).toHaveText("1", { timeout: 1_000 });
  }).toPass({ timeout: 60_000 });
  await expect(row.getByTestId("inferenceset-replicas")).toHaveText("1");
  await expect(row).toContainText("phi-4-mini-instruct");

  await row.getByRole("link", { name }).click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText(name);
  await expect(page.getByTestId("inferenceset-counts")).toHaveText("1 of 1 replicas ready");
  const children = page.getByTestId("inferenceset-children").locator("tbody tr");
  await expect(children).toHaveCount(1);
  await expect(children.first()).toContainText("Ready");
  await expect(page.getByTestId("condition-InferenceSetReady")).toHaveAttribute("data-status", "True");

  // A child is an ordinary workspace with its own page.
  const child = children.first().getByRole("link");
  const childName = (await child.textContent()) ?? "";
  expect(childName).toMatch(new RegExp(`^${name}-[a-z0-9]{5}$`));
  await child.click();
  await expect(page).toHaveURL(`/workspaces/${E2E_NAMESPACE}/${childName}`);
});

test("an operator scales the set from its page; the worker follows and the audit log records it", async ({ page }) => {
  await signIn(page);
  await page.goto(`/inferencesets/${E2E_NAMESPACE}/${name}`);
  await page.getByLabel("Replicas").fill("2");
  await page.getByRole("button", { name: "Scale" }).click();
  await expect(page.getByTestId("scale-form").getByRole("status")).toHaveText("Replicas set to 2.");
  expect(kubectl(["get", "is", name, "-n", E2E_NAMESPACE, "-o", "jsonpath={.spec.replicas}"])).toBe("2");

  await expect(async () => {
    await page.reload();
    await expect(page.getByTestId("inferenceset-counts")).toHaveText("2 of 2 replicas ready", { timeout: 1_000 });
  }).toPass({ timeout: 60_000 });
  await expect(page.getByTestId("inferenceset-children").locator("tbody tr")).toHaveCount(2);

  // A negative count never leaves the browser (and the action's schema refuses it too).
  const input = page.getByLabel("Replicas");
  await input.fill("-1");
  await page.getByRole("button", { name: "Scale" }).click();
  expect(await input.evaluate((el) => (el as HTMLInputElement).validity.rangeUnderflow)).toBe(true);
  expect(kubectl(["get", "is", name, "-n", E2E_NAMESPACE, "-o", "jsonpath={.spec.replicas}"])).toBe("2");

  await page.goto("/audit?action=inferenceset.scale");
  await expect(page.getByTestId("audit-rows")).toContainText(
    `Scaled inferenceset ${E2E_NAMESPACE}/${name} from 1 to 2 replicas`,
  );
});
