// The timeline after a change, in Chromium (#16 defect 9): a re-rollout (here after an adapter
// attach) is its own run, latest first, with the creation one click away — not a "Scheduling"
// bar stretched over the minutes between them.
import { randomBytes } from "node:crypto";

import { expect, test } from "@playwright/test";
import pg from "pg";

import { deleteNamespace, kubectl, phi3Workspace, setWorkspaceStatus } from "./support/kubectl";
import { signIn } from "./support/sign-in";

const namespace = `e2e-runs-${randomBytes(3).toString("hex")}`;
const NAME = "phi";
const DATABASE_URL =
  process.env.E2E_DATABASE_URL ?? process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5499/postgres";

test.beforeAll(async () => {
  kubectl(["create", "namespace", namespace]);
  kubectl(["apply", "-f", "-"], phi3Workspace(namespace, NAME));
  setWorkspaceStatus(namespace, NAME, "Ready", [
    { type: "InferenceReady", status: "True", reason: "WorkspaceInferenceStatusSuccess" },
    { type: "WorkspaceSucceeded", status: "True", reason: "workspaceSucceeded" },
  ]);
  const uid = kubectl(["get", "workspace", NAME, "-n", namespace, "-o", "jsonpath={.metadata.uid}"]).trim();
  // What the worker records: the creation, then the pod re-created by the adapter attach 4 min later.
  const t0 = Date.now() - 10 * 60_000;
  const rows: [string, string, number][] = [
    ["Accepted", "", 0],
    ["NodeClaimCreated", "ws1", 1],
    ["NodeClaimLaunched", "ws1", 3],
    ["NodeClaimRegistered", "ws1", 4],
    ["GpuCapacityReported", "node1", 4],
    ["WorkloadCreated", "", 2],
    ["PodCreated", "phi-0", 2],
    ["PodScheduled", "phi-0", 5],
    ["ContainerStarted", "phi-0/phi", 6],
    ["PodReady", "phi-0", 8],
    ["PodCreated", "phi-0", 240],
    ["PodScheduled", "phi-0", 241],
    ["ContainerStarted", "phi-0/phi", 250],
    ["PodReady", "phi-0", 262],
  ];
  const client = new pg.Client({ connectionString: DATABASE_URL });
  await client.connect();
  for (const [phase, subject, second] of rows)
    await client.query(
      `INSERT INTO "TimelineEvent" ("workspaceUid", namespace, name, phase, subject, severity, "occurredAt") VALUES ($1, $2, $3, $4, $5, 'Normal', $6)`,
      [uid, namespace, NAME, phase, subject, new Date(t0 + second * 1000)],
    );
  await client.end();
});

test.afterAll(() => deleteNamespace(namespace));

test("a re-rollout is its own run of the timeline, with the creation one click away", async ({ page }) => {
  await signIn(page);
  await page.goto(`/workspaces/${namespace}/${NAME}`);
  await expect(page.getByTestId("timeline-run")).toContainText("Rollout 2");
  // Scheduling took 1 s in this rollout, not the 3m 55s since the creation's workload.
  await expect(page.getByTestId("phase-schedule").locator("text").last()).toHaveText("1s");
  await expect(page.getByTestId("phase-model").locator("text").last()).toHaveText("12s");
  await expect(page.getByTestId("phase-launch")).toHaveCount(0);

  const earlier = page.getByTestId("earlier-runs");
  await expect(earlier.getByTestId("run-1")).toBeHidden();
  await earlier.getByText("Earlier rollout").click();
  await expect(earlier.getByTestId("run-1")).toBeVisible();
  await expect(earlier.getByTestId("run-1")).toContainText("Created");
  await expect(earlier.getByTestId("run-1-phase-launch")).toHaveAttribute("data-status", "done");
  await expect(earlier.getByTestId("run-1-phase-schedule").locator("text").last()).toHaveText("1s");
});
