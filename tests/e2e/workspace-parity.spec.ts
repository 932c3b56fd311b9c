// Kaito v0.12 Workspace fields in Chromium: the post-load benchmark's figure on the detail page and
// in the model catalog, a MIG partition named on the detail page, the seed's V100 SKU marked
// deprecated upstream, and the refusal of a selector made only of Kaito's reserved keys.
import { randomBytes } from "node:crypto";

import { expect, test } from "@playwright/test";

import { deleteNamespace, kubectl, setWorkspaceStatus } from "./support/kubectl";
import { signIn } from "./support/sign-in";

const namespace = `e2e-parity-${randomBytes(3).toString("hex")}`;
// A preset no other spec deploys, so the catalog's best figure is this one.
const PRESET = "gemma-3-4b-instruct";

const workspaces = `apiVersion: kaito.sh/v1beta1
kind: Workspace
metadata: {name: measured, namespace: ${namespace}}
resource: {instanceType: Standard_NC24ads_A100_v4, labelSelector: {matchLabels: {apps: measured}}}
inference: {preset: {name: ${PRESET}}}
---
apiVersion: kaito.sh/v1beta1
kind: Workspace
metadata: {name: sliced, namespace: ${namespace}, annotations: {kaito.sh/disable-benchmark: "true"}}
resource: {labelSelector: {matchLabels: {apps: sliced}}, partition: {mode: mig, profile: 1g.10gb}}
inference: {preset: {name: phi-3-mini-4k-instruct}}
`;

/** The status upstream's controller writes once the benchmark's result is read (as the worker does). */
function setMeasuredStatus(name: string, peak: string): void {
  setWorkspaceStatus(
    namespace,
    name,
    "Ready",
    [
      {
        type: "InferenceReady",
        status: "True",
        reason: "WorkspaceInferenceStatusSuccess",
        message: "Inference has been deployed successfully",
      },
      { type: "WorkspaceSucceeded", status: "True", reason: "workspaceSucceeded", message: "workspace succeeds" },
      {
        type: "BenchmarkCompleted",
        status: "True",
        reason: "BenchmarkCompleted",
        message: "benchmark result has been recorded",
      },
    ],
    {
      performance: {
        metrics: {
          peakTokensPerMinute: { description: "stress/high-concurrency", value: peak, unit: "tokens/min" },
        },
      },
    },
  );
}

test.describe.configure({ mode: "serial" });

test.beforeAll(() => {
  kubectl(["create", "namespace", namespace]);
  kubectl(["apply", "-f", "-"], workspaces);
  setMeasuredStatus("measured", "123456.5");
});

test.afterAll(() => deleteNamespace(namespace));

test("the detail page shows the measured throughput and the MIG partition", async ({ page }) => {
  await signIn(page);
  await page.goto(`/workspaces/${namespace}/measured`);
  await expect(page.getByTestId("detail-throughput")).toHaveText("Measured 123,457 tokens/min");
  await page.goto(`/workspaces/${namespace}/sliced`);
  await expect(page.getByTestId("detail-partition")).toContainText("partition MIG 1g.10gb");
  await expect(page.getByTestId("detail-throughput")).toHaveCount(0);
});

test("the model catalog shows the throughput measured on the cluster's Workspaces", async ({ page }) => {
  await signIn(page);
  await page.goto("/models");
  await page.getByLabel("Search models").fill(PRESET);
  await expect(page.getByTestId(`throughput-${PRESET}`)).toHaveText("123,457 tokens/min");
  await page.getByLabel("Search models").fill("ministral-3-3b-instruct");
  await expect(page.getByTestId("throughput-ministral-3-3b-instruct")).toHaveText("–");
});

test("the form marks the seed's V100 SKU deprecated upstream and refuses a selector of reserved keys only", async ({
  page,
}) => {
  await signIn(page);
  await page.goto("/workspaces/new?preset=phi-3-mini-4k-instruct");
  await expect(page.getByLabel("Instance type").locator('option[value="Standard_NC6s_v3"]')).toContainText(
    "(deprecated upstream)",
  );
  await page.getByLabel("Instance type").selectOption("Standard_NC6s_v3");
  await expect(page.locator("#ws-instance-hint")).toContainText("Deprecated upstream");
  await page.getByLabel("Node label selector").fill("kaito.sh/workspace=someone-else");
  await expect(page.getByText("matchLabels must contain at least one non-reserved label").first()).toBeVisible();
});
