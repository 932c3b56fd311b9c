// The serving panel on an InferenceSet's page: two replicas brought up by the e2e worker, each
// scraped by the real Prometheus, drawn as a line per child Workspace in every chart.
import { randomBytes } from "node:crypto";

import { expect, test } from "@playwright/test";

import { E2E_NAMESPACE } from "./support/e2e-env";
import { deleteInferenceSet, inferenceSet, kubectl } from "./support/kubectl";
import { signIn } from "./support/sign-in";

const name = `serving-set-${randomBytes(3).toString("hex")}`;

test.afterAll(() => {
  deleteInferenceSet(E2E_NAMESPACE, name);
});

test("an InferenceSet's page shows its serving figures replica by replica", async ({ page }) => {
  test.setTimeout(300_000);
  kubectl(
    ["apply", "-f", "-"],
    inferenceSet(E2E_NAMESPACE, name, {
      replicas: 2,
      instanceType: "Standard_NC6s_v3",
      preset: "phi-3-mini-4k-instruct",
    }),
  );
  await signIn(page);
  await expect(async () => {
    await page.goto(`/inferencesets/${E2E_NAMESPACE}/${name}`);
    await expect(page.getByTestId("inferenceset-counts")).toHaveText("2 of 2 replicas ready", { timeout: 1_000 });
  }).toPass({ timeout: 180_000 });
  const children = await page.getByTestId("inferenceset-children").locator("tbody tr a").allTextContents();
  expect(children).toHaveLength(2);

  const panel = page.getByTestId("serving-panel");
  await expect(panel.getByRole("heading", { name: "Serving" })).toBeVisible();
  // A line per replica, once Prometheus has found both pods; their GPUs by pod.
  for (const child of children) {
    await expect(panel.getByTestId(`serving-value-requests-running · ${child}`)).toHaveText("0", { timeout: 60_000 });
    await expect(panel.getByTestId(`serving-value-gpu-util-${child}-0`)).toHaveText("0 %", { timeout: 30_000 });
  }
  const requests = panel.getByTestId("serving-chart-requests");
  await requests.getByRole("button", { name: "Show PromQL" }).click();
  await expect(requests.locator("pre")).toContainText(
    `sum by (workspace) (vllm:num_requests_running{namespace="${E2E_NAMESPACE}",workspace=~"${children.join("|")}"})`,
  );
});
