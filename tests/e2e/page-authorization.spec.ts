// Every page, as each kind of user (#13): a signed-out visitor is sent to sign in from every page
// found under app/, and Kubernetes' RBAC decides what an operator sees. For this file the
// operators' cluster-wide binding is taken away, as an administrator does with
// rbac.defaultTenantBindings=false, and each operator gets a RoleBinding in their team's namespace
// only; afterAll puts the binding back as the local cluster has it.
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";

import { expect, test, type Page } from "@playwright/test";

import { upsertUsers } from "./support/e2e-users";
import { deleteNamespace, kubectl } from "./support/kubectl";
import { pageRoutes } from "./support/page-routes";
import { signIn } from "./support/sign-in";

const run = randomBytes(3).toString("hex");
const TEAM_A = `e2e-team-a-${run}`;
const TEAM_B = `e2e-team-b-${run}`;
const PASSWORD = "page authorization e2e password";
const OPERATOR_A = `e2e-op-a-${run}@example.test`;
const OPERATOR_B = `e2e-op-b-${run}@example.test`;
const OPERATORS_BINDING = "kaito-dashboard-workspace-operators";
let savedBinding = "";

/** The URLs that stand for a dynamic route when checking that signed-out visitors are sent away. */
const EXAMPLES: Record<string, string> = {
  "/workspaces/[namespace]/[name]": `/workspaces/${TEAM_A}/a-chat`,
  "/workspaces/[namespace]/[name]/edit": `/workspaces/${TEAM_A}/a-chat/edit`,
  "/adapters/[name]": "/adapters/any-adapter",
  "/inferencesets/[namespace]/[name]": `/inferencesets/${TEAM_A}/any-set`,
};

const workspace = (namespace: string, name: string) =>
  JSON.stringify({
    apiVersion: "kaito.sh/v1beta1",
    kind: "Workspace",
    metadata: { name, namespace },
    resource: { instanceType: "Standard_NC6s_v3", labelSelector: { matchLabels: { apps: name } } },
    inference: { preset: { name: "phi-3-mini-4k-instruct" } },
  });

const refusal = (email: string, namespace: string) =>
  new RegExp(
    `User "kaito-dashboard:${email.replace(/[.]/g, "\\.")}" cannot get resource "workspaces" in API group "kaito\\.sh" in the namespace "${namespace}"`,
  );

const row = (page: Page, namespace: string, name: string) => page.getByTestId(`workspace-row-${namespace}-${name}`);

test.beforeAll(async () => {
  test.setTimeout(90_000);
  for (const namespace of [TEAM_A, TEAM_B]) kubectl(["create", "namespace", namespace]);
  kubectl(["apply", "-f", "-"], workspace(TEAM_A, "a-chat"));
  kubectl(["apply", "-f", "-"], workspace(TEAM_B, "b-chat"));
  await upsertUsers(
    [
      { email: OPERATOR_A, role: "operator" },
      { email: OPERATOR_B, role: "operator" },
    ],
    PASSWORD,
  );
  const binding = JSON.parse(kubectl(["get", "clusterrolebinding", OPERATORS_BINDING, "-o", "json"]));
  savedBinding = JSON.stringify({
    apiVersion: binding.apiVersion,
    kind: binding.kind,
    metadata: { name: binding.metadata.name, labels: binding.metadata.labels },
    roleRef: binding.roleRef,
    subjects: binding.subjects,
  });
  kubectl(["delete", "clusterrolebinding", OPERATORS_BINDING]);
  for (const [namespace, email] of [
    [TEAM_A, OPERATOR_A],
    [TEAM_B, OPERATOR_B],
  ])
    kubectl([
      "create",
      "rolebinding",
      "team-operators",
      "-n",
      namespace,
      "--clusterrole=kaito-dashboard-workspace-editor",
      `--user=kaito-dashboard:${email}`,
    ]);
  // RBAC applies once the apiserver's informers see the change. `can-i` exits 1 for "no".
  const canList = () =>
    spawnSync(
      "kubectl",
      [
        "auth",
        "can-i",
        "list",
        "workspaces.kaito.sh",
        "-n",
        TEAM_B,
        `--as=kaito-dashboard:${OPERATOR_A}`,
        "--as-group=kaito-dashboard:operators",
      ],
      { encoding: "utf8", env: { ...process.env, KUBECONFIG: process.env.KUBECONFIG ?? ".data/cluster/kubeconfig" } },
    ).stdout.trim();
  await expect.poll(canList).toBe("no");
});

test.afterAll(() => {
  if (savedBinding) kubectl(["apply", "-f", "-"], savedBinding);
  for (const namespace of [TEAM_A, TEAM_B]) deleteNamespace(namespace);
});

test("every page sends a signed-out visitor to sign in and shows nothing of the cluster", async ({ page }) => {
  const routes = pageRoutes().filter((route) => route !== "/login");
  expect(routes.length).toBeGreaterThan(5);
  for (const route of routes) {
    const url = route.includes("[") ? EXAMPLES[route] : route;
    expect(url, `${route} has no example URL in tests/e2e/page-authorization.spec.ts`).toBeDefined();
    await page.goto(url);
    await expect(page, `${url} as a signed-out visitor`).toHaveURL(/\/login(\?|$)/);
    await expect(page.getByRole("button", { name: "Sign in", exact: true })).toBeVisible();
    await expect(page.locator("body")).not.toContainText("a-chat");
  }
});

for (const [email, own, other] of [
  [OPERATOR_A, { namespace: TEAM_A, name: "a-chat" }, { namespace: TEAM_B, name: "b-chat" }],
  [OPERATOR_B, { namespace: TEAM_B, name: "b-chat" }, { namespace: TEAM_A, name: "a-chat" }],
] as const) {
  test(`an operator bound to ${own.namespace.slice(0, 10)} lists and opens only their team's Workspaces`, async ({
    page,
  }) => {
    await signIn(page, { email, password: PASSWORD });
    await page.goto("/workspaces");
    await expect(page.getByTestId("stream-status")).toHaveText("Live");
    await expect(row(page, own.namespace, own.name)).toBeVisible();
    await expect(row(page, other.namespace, other.name)).toHaveCount(0);

    await page.goto(`/workspaces/${own.namespace}/${own.name}`);
    await expect(page.getByRole("heading", { name: own.name })).toBeVisible();
    await expect(page.getByRole("alert").filter({ hasText: "cannot get resource" })).toHaveCount(0);

    // The other team's pages say what the apiserver said, where the person looked.
    for (const path of [
      `/workspaces/${other.namespace}/${other.name}`,
      `/workspaces/${other.namespace}/${other.name}/edit`,
    ]) {
      await page.goto(path);
      await expect(page.getByRole("main").getByRole("alert")).toContainText(refusal(email, other.namespace));
      await expect(page.getByRole("button", { name: "Delete" })).toHaveCount(0);
    }
  });
}

test("an admin, bound cluster-wide, lists both teams", async ({ page }) => {
  await signIn(page);
  await page.goto("/workspaces");
  await expect(page.getByTestId("stream-status")).toHaveText("Live");
  await expect(row(page, TEAM_A, "a-chat")).toBeVisible();
  await expect(row(page, TEAM_B, "b-chat")).toBeVisible();
});
