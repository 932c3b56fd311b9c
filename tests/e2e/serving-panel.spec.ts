// The serving panel in Chromium: a Workspace the e2e worker brings up on a KWOK GPU node, a load
// run from the open page through the chat proxy, and the charts — fed by the real Prometheus
// scraping the model-server and GPU metrics doubles — moving without a reload.
import { readFile } from "node:fs/promises";
import path from "node:path";

import { expect, test } from "@playwright/test";

import { kubectl, phi3Workspace } from "./support/kubectl";
import { signIn } from "./support/sign-in";

const SCREENSHOTS = path.resolve(import.meta.dirname, "../../docs/screenshots");
const NAMESPACE = process.env.E2E_NAMESPACE ?? "default";
const name = `serving-${Date.now().toString(36)}`;

test.afterAll(() => {
  kubectl(["delete", "workspace", name, "-n", NAMESPACE, "--ignore-not-found", "--wait=false"]);
});

test("the serving panel follows a load on the Workspace, live, and shows each chart's source and PromQL", async ({
  page,
}) => {
  test.setTimeout(300_000);
  kubectl(["apply", "-f", "-"], phi3Workspace(NAMESPACE, name));
  await signIn(page);
  await page.goto(`/workspaces/${NAMESPACE}/${name}`);
  await expect(page.getByTestId("detail-state")).toHaveText("Ready", { timeout: 180_000 });

  const panel = page.getByTestId("serving-panel");
  await expect(panel.getByRole("heading", { name: "Serving" })).toBeVisible();
  // Prometheus has found the pod once the running gauge has a value.
  await expect(panel.getByTestId("serving-value-requests-running")).toHaveText("0", { timeout: 60_000 });
  await expect(panel.getByTestId("serving-value-gpu-util-" + `${name}-0`)).toHaveText("0 %", { timeout: 30_000 });
  await page.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true));

  // The load, from the page itself: rounds of concurrent streamed chats for about 20 s.
  const load = page.evaluate(
    async ({ ns, ws }) => {
      const one = () =>
        fetch(`/api/inference/${ns}/${ws}/v1/chat/completions`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({
            messages: [{ role: "user", content: "Tell me about GPUs" }],
            max_tokens: 400,
            ignore_eos: true,
            stream: true,
          }),
        }).then((r) => r.text());
      for (let round = 0; round < 8; round++) await Promise.all(Array.from({ length: 12 }, one));
    },
    { ns: NAMESPACE, ws: name },
  );

  const tokensOut = panel.getByTestId("serving-value-tokens-out (generated)");
  await expect(tokensOut).not.toHaveText(/^(–|0\.0 tok\/s)$/, { timeout: 60_000 });
  await expect(panel.getByTestId(`serving-value-gpu-util-${name}-0`)).not.toHaveText("0 %", { timeout: 60_000 });
  await expect(panel.getByTestId("serving-value-ttft-p50")).toHaveText(/ms$/);
  // The same figure as the dashboard's proxy saw it, beside vLLM's.
  await expect(panel.getByTestId("serving-value-ttft-dashboard-through the dashboard")).toHaveText(/ms$/, {
    timeout: 30_000,
  });
  expect(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);

  const ttft = panel.getByTestId("serving-chart-ttft");
  await expect(ttft).toContainText("Source: vLLM /metrics of the inference pod, via Prometheus");
  await ttft.getByRole("button", { name: "Show PromQL" }).click();
  await expect(ttft.locator("pre")).toContainText(
    `histogram_quantile(0.95, sum by (le) (rate(vllm:time_to_first_token_seconds_bucket{namespace="${NAMESPACE}",workspace="${name}"}[1m])))`,
  );
  await panel.getByRole("button", { name: "1 h" }).click();
  await expect(panel.getByRole("button", { name: "1 h" })).toHaveAttribute("aria-pressed", "true");
  await expect(panel.getByTestId("serving-chart-gpu-util")).toContainText("Source: NVIDIA DCGM exporter");
  await panel.getByRole("button", { name: "15 min" }).click();
  await expect(tokensOut).not.toHaveText(/^(–|0\.0 tok\/s)$/);
  await load;
  // Drawn as a line once the window holds a few samples: then the panel is worth a picture.
  await expect(panel.getByTestId("serving-chart-tokens").locator("polyline").last()).toHaveAttribute(
    "points",
    /^\S+( \S+){2,}$/,
    { timeout: 60_000 },
  );
  await panel.screenshot({ path: `${SCREENSHOTS}/serving-panel.png` });
});

test("the fleet page lists the Workspace's GPU and cost, is in the navigation, and exports CSV", async ({ page }) => {
  test.setTimeout(120_000);
  await signIn(page);
  await page.goto("/workspaces");
  await page.getByRole("link", { name: "Fleet" }).click();
  await expect(page.getByRole("heading", { name: "Fleet" })).toBeVisible();
  await page.getByRole("link", { name: "1 h" }).click();
  await expect(page).toHaveURL(/period=1h/);
  const row = page.getByTestId(`fleet-row-${NAMESPACE}-${name}`);
  await expect(row).toContainText("phi-3-mini-4k-instruct");
  await expect(row.getByRole("cell").nth(2)).toHaveText("1");
  await expect(row.getByTestId("fleet-cost-per-million")).toHaveText(/^\$\d/);
  await expect(page.getByTestId("fleet-by-namespace")).toContainText(NAMESPACE);
  const download = page.waitForEvent("download");
  await page.getByRole("link", { name: "Export CSV" }).click();
  const csv = await readFile(await (await download).path(), "utf8");
  expect(csv.split("\r\n")[0]).toMatch(/^namespace,workspace,model,instance_type,gpus,/);
  expect(csv).toContain(`${NAMESPACE},${name},phi-3-mini-4k-instruct,Standard_NC6s_v3,1,`);
  await page.screenshot({ path: `${SCREENSHOTS}/fleet.png`, fullPage: true });
});
