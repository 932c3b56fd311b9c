// The chart's controller.mode as a platform engineer sets it: observe renders a read-only worker
// without a Lease, tells web and worker the mode, and the real apiserver accepts the result;
// reconcile keeps the writing role and the Lease; anything else is refused naming the value.
import { spawnSync } from "node:child_process";
import path from "node:path";

import { beforeAll, describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";

import { ensureHelm } from "../../dev/helm/ensure-helm";
import { kubeconfigPath, kubectl, useTestNamespace } from "../support/cluster";

const chart = path.resolve(import.meta.dirname, "../../charts/kaito-dashboard");
const ns = useTestNamespace("obs-chart");

type Manifest = {
  kind: string;
  metadata: { name: string };
  rules?: { resources: string[]; verbs: string[] }[];
  spec?: { template: { spec: { containers: { env?: { name: string; value?: string }[] }[] } } };
};

let helmBin: string;

function helm(args: string[]) {
  const result = spawnSync(helmBin, args, { encoding: "utf8", env: { ...process.env, KUBECONFIG: kubeconfigPath() } });
  if (result.error) throw result.error;
  return { status: result.status ?? 1, stdout: result.stdout, stderr: result.stderr };
}

function render(args: string[]): { text: string; manifests: Manifest[] } {
  const result = helm(["template", "kd", chart, "--namespace", ns.name, ...args]);
  expect(result.stderr).toBe("");
  expect(result.status).toBe(0);
  const manifests = parseAllDocuments(result.stdout)
    .map((d) => d.toJS() as Manifest | null)
    .filter((m): m is Manifest => m !== null);
  return { text: result.stdout, manifests };
}

const env = (manifests: Manifest[], deployment: string) =>
  Object.fromEntries(
    (
      manifests.find((m) => m.kind === "Deployment" && m.metadata.name === deployment)!.spec!.template.spec
        .containers[0].env ?? []
    ).map((e) => [e.name, e.value]),
  );
const workerRole = (manifests: Manifest[]) =>
  manifests.find((m) => m.kind === "ClusterRole" && m.metadata.name === "kd-kaito-dashboard-worker")!;

beforeAll(() => {
  helmBin = ensureHelm();
}, 1_200_000);

describe("chart: controller.mode", () => {
  it("observe: a read-only worker role, no Lease, both processes told, accepted by the apiserver", () => {
    // Beside an installed Kaito, as docs/install.md says: its CRDs stay (chart-crds.test.ts).
    const { text, manifests } = render(["--set", "controller.mode=observe", "--set", "crds.install=false"]);
    const verbs = workerRole(manifests).rules!.flatMap((r) => r.verbs);
    expect(verbs.filter((v) => !["get", "list", "watch"].includes(v))).toEqual([]);
    expect(manifests.filter((m) => m.metadata.name.endsWith("-leader-election"))).toEqual([]);
    expect(env(manifests, "kd-kaito-dashboard-worker")).toMatchObject({
      CONTROLLER_MODE: "observe",
      LEADER_ELECTION: "false",
    });
    expect(env(manifests, "kd-kaito-dashboard-web")).toMatchObject({ CONTROLLER_MODE: "observe" });
    const applied = kubectl(["apply", "--dry-run=server", "--namespace", ns.name, "-f", "-"], text);
    expect(applied.stderr).toBe("");
    expect(applied.status).toBe(0);
  });

  it("reconcile (the default): the worker writes and holds its Lease; both modes may detect upstream Kaito", () => {
    const { manifests } = render([]);
    const rules = workerRole(manifests).rules!;
    expect(rules.find((r) => r.resources.includes("statefulsets"))?.verbs).toContain("create");
    expect(manifests.map((m) => `${m.kind}/${m.metadata.name}`)).toContain(
      "Role/kd-kaito-dashboard-worker-leader-election",
    );
    expect(env(manifests, "kd-kaito-dashboard-worker")).toMatchObject({
      CONTROLLER_MODE: "reconcile",
      LEADER_ELECTION: "true",
    });
    for (const mode of ["reconcile", "observe"]) {
      const role = workerRole(render(["--set", `controller.mode=${mode}`]).manifests);
      for (const resource of ["deployments", "leases"])
        expect(role.rules!.find((r) => r.resources.includes(resource))?.verbs, `${mode}: ${resource}`).toEqual([
          "list",
          "watch",
        ]);
    }
  });

  it("refuses an unknown mode, and lets observers run several replicas without a Lease", () => {
    const unknown = helm(["template", "kd", chart, "--set", "controller.mode=watch"]);
    expect(unknown.status).not.toBe(0);
    expect(unknown.stderr).toMatch(/controller\/mode.*reconcile.*observe/s);
    const observers = helm([
      "template",
      "kd",
      chart,
      "--set",
      "controller.mode=observe",
      "--set",
      "worker.leaderElection.enabled=false",
    ]);
    expect(observers.status).toBe(0);
  });
});
