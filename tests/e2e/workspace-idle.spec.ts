// The idle flag on the Workspace list: a Workspace the e2e worker brings up on a KWOK GPU node
// holds its GPU (the GPU metrics double reports it, the real Prometheus scrapes it) and has served
// nothing, so the list flags it with the reason on hover; once it has answered a chat, it is not.
import { expect, test } from "@playwright/test";

import { kubectl, phi3Workspace } from "./support/kubectl";
import { signIn } from "./support/sign-in";

const NAMESPACE = process.env.E2E_NAMESPACE ?? "default";
const name = `idle-${Date.now().toString(36)}`;

test.afterAll(() => {
  kubectl(["delete", "workspace", name, "-n", NAMESPACE, "--ignore-not-found", "--wait=false"]);
});

test("the Workspace list flags a Workspace holding a GPU without requests, and drops the flag once it serves", async ({
  page,
}) => {
  test.setTimeout(300_000);
  kubectl(["apply", "-f", "-"], phi3Workspace(NAMESPACE, name));
  await signIn(page);
  await page.goto(`/workspaces?q=${name}`);
  const row = page.getByTestId(`workspace-row-${NAMESPACE}-${name}`);
  await expect(row.getByTestId("workspace-state")).toHaveText("Ready", { timeout: 180_000 });

  // The flags are read once per page view: look again until Prometheus has scraped the GPU.
  const badge = row.getByTestId("workspace-idle");
  await expect(async () => {
    await page.reload();
    await expect(badge).toBeVisible({ timeout: 5_000 });
  }).toPass({ timeout: 90_000 });
  await expect(badge).toHaveText("Idle");
  await expect(badge).toHaveAttribute(
    "title",
    "Holds 1 GPU and served no request in the last 24 h (vLLM's request counter, via Prometheus)",
  );
  // Only this Workspace's row carries it; the name still links to its page.
  await expect(row.getByRole("link", { name })).toHaveAttribute("href", `/workspaces/${NAMESPACE}/${name}`);

  // The flag comes from the GPU double's series; the request counter from the model server's,
  // a target Prometheus finds a few seconds later. A chat before its first scrape would be in the
  // counter's first sample, which no increase() counts: wait until the serving panel has it.
  await row.getByRole("link", { name }).click();
  await expect(page.getByTestId("serving-panel").getByTestId("serving-value-requests-running")).toHaveText("0", {
    timeout: 60_000,
  });
  const answered = await page.evaluate(
    async ({ ns, ws }) =>
      (
        await fetch(`/api/inference/${ns}/${ws}/v1/chat/completions`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ messages: [{ role: "user", content: "Are you there?" }], max_tokens: 8 }),
        })
      ).status,
    { ns: NAMESPACE, ws: name },
  );
  expect(answered).toBe(200);
  await page.goto(`/workspaces?q=${name}`);
  // Absent only counts once the page has its flags: wait for the list's one idle request each time.
  await expect(async () => {
    const flags = page.waitForResponse((r) => r.url().includes("/api/metrics/idle"));
    await page.reload();
    expect((await flags).status()).toBe(200);
    await expect(row.getByTestId("workspace-state")).toHaveText("Ready", { timeout: 5_000 });
    await expect(badge).toHaveCount(0, { timeout: 1_000 });
  }).toPass({ timeout: 60_000 });
});
