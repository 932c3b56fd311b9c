// The Helm chart as a platform engineer meets it: helm (built from its Go module) lints and
// renders it with the defaults and with every option on, the real apiserver accepts every
// rendered object, a real `helm install` + `helm upgrade` keeps the generated secrets, the web's
// ServiceAccount can do exactly what the web needs, and wrong values fail with a clear message.
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";

import { beforeAll, describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";

import { ensureHelm } from "../../dev/helm/ensure-helm";
import { kubeconfigPath, kubectl, useTestNamespace } from "../support/cluster";

const chart = path.resolve(import.meta.dirname, "../../charts/kaito-dashboard");
const fullValues = path.join(chart, "ci/full-values.yaml");
const ns = useTestNamespace("helm");

type Manifest = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string };
  spec?: Record<string, unknown>;
  data?: Record<string, string>;
};
type PodSpec = {
  securityContext?: Record<string, unknown>;
  containers: { name: string; securityContext?: Record<string, unknown>; env?: { name: string }[] }[];
};

let helmBin: string;

function helm(args: string[]) {
  const result = spawnSync(helmBin, args, {
    encoding: "utf8",
    env: { ...process.env, KUBECONFIG: kubeconfigPath() },
  });
  if (result.error) throw result.error;
  return { status: result.status ?? 1, stdout: result.stdout, stderr: result.stderr };
}

/** `helm <verb>` of release `name` of the chart, in the test's namespace. */
function helmChart(verb: "template" | "install" | "upgrade", name: string, args: string[] = []) {
  return helm([verb, name, chart, "--namespace", ns.name, ...args]);
}

function uninstall(name: string) {
  expect(helm(["uninstall", name, "--namespace", ns.name]).status).toBe(0);
}

function render(release: string, extraArgs: string[] = []): Manifest[] {
  const result = helmChart("template", release, extraArgs);
  expect(result.stderr).toBe("");
  expect(result.status).toBe(0);
  return parseAllDocuments(result.stdout)
    .map((doc) => doc.toJS() as Manifest | null)
    .filter((m): m is Manifest => m !== null);
}

function podSpecs(manifests: Manifest[]): [string, PodSpec][] {
  return manifests
    .filter((m) => m.kind === "Deployment" || m.kind === "StatefulSet")
    .map((m) => [m.metadata.name, (m.spec as { template: { spec: PodSpec } }).template.spec]);
}

const release = () => `kd${randomBytes(3).toString("hex")}`;
// The shared cluster's Kaito CRDs were installed outside Helm (tests/support/global-setup.ts), so
// installs and applies here leave them alone, as beside an installed Kaito; chart-crds.test.ts
// covers the chart's CRDs.
const besideInstalledCrds = ["--set", "crds.install=false"];
// The chart's defaults, and every option on.
const defaultAndFullValues = [[], ["--values", fullValues]];

beforeAll(() => {
  // The first run builds helm (several minutes on 2 cores); later runs find it in the cache.
  helmBin = ensureHelm();
}, 1_200_000);

describe("helm chart", () => {
  it("passes helm lint --strict with the default and the full values", () => {
    for (const args of defaultAndFullValues) {
      const result = helm(["lint", "--strict", chart, ...args]);
      expect(result.stdout + result.stderr).toContain("1 chart(s) linted, 0 chart(s) failed");
      expect(result.status).toBe(0);
    }
  });

  it("renders a web Deployment, a leader-elected worker and a bundled PostgreSQL by default", () => {
    const manifests = render("kd");
    const kinds = manifests.map((m) => `${m.kind}/${m.metadata.name}`);
    expect(kinds).toEqual(
      expect.arrayContaining([
        "Deployment/kd-kaito-dashboard-web",
        "Deployment/kd-kaito-dashboard-worker",
        "StatefulSet/kd-kaito-dashboard-postgresql",
        "Service/kd-kaito-dashboard-web",
        "ClusterRole/kd-kaito-dashboard-web",
        "ClusterRole/kd-kaito-dashboard-worker",
        "Role/kd-kaito-dashboard-worker-leader-election",
        "NetworkPolicy/kd-kaito-dashboard-postgresql",
        "PodDisruptionBudget/kd-kaito-dashboard-web",
      ]),
    );
    const worker = manifests.find((m) => m.metadata.name === "kd-kaito-dashboard-worker" && m.kind === "Deployment")!;
    const workerEnv = (worker.spec as { template: { spec: PodSpec } }).template.spec.containers[0].env!;
    expect(workerEnv).toEqual(
      expect.arrayContaining([
        { name: "LEADER_ELECTION", value: "true" },
        { name: "LEADER_ELECTION_NAMESPACE", value: ns.name },
        { name: "LEADER_ELECTION_LEASE_NAME", value: "kd-kaito-dashboard-worker" },
      ]),
    );
  });

  it("runs every pod non-root, read-only, without capabilities and with the RuntimeDefault seccomp profile", () => {
    for (const args of defaultAndFullValues) {
      const specs = podSpecs(render("kd", args));
      expect(specs.length).toBeGreaterThanOrEqual(2);
      for (const [name, spec] of specs) {
        expect(spec.securityContext, name).toMatchObject({
          runAsNonRoot: true,
          seccompProfile: { type: "RuntimeDefault" },
        });
        for (const container of spec.containers) {
          expect(container.securityContext, `${name}/${container.name}`).toMatchObject({
            readOnlyRootFilesystem: true,
            allowPrivilegeEscalation: false,
            capabilities: { drop: ["ALL"] },
          });
        }
      }
    }
  });

  it("keeps secrets out of the pod specs: they come from Secrets by reference", () => {
    const manifests = render("kd", ["--values", fullValues]);
    const specsText = JSON.stringify(podSpecs(manifests));
    for (const secret of ["correct-horse-battery-staple", "s3cr3t-from-the-idp", "pa55word", "push-token"]) {
      expect(specsText).not.toContain(secret);
    }
    expect(specsText).toContain('"name":"AUTH_SECRET","valueFrom"');
  });

  it("has every rendered object accepted by the real apiserver (kubectl apply --dry-run=server)", () => {
    for (const args of defaultAndFullValues) {
      const name = release();
      const rendered = helmChart("template", name, [...besideInstalledCrds, ...args]);
      expect(rendered.status).toBe(0);
      const result = kubectl(["apply", "--dry-run=server", "--namespace", ns.name, "-f", "-"], rendered.stdout);
      expect(result.stderr).toBe("");
      expect(result.status).toBe(0);
      const accepted = result.stdout.trim().split("\n");
      expect(accepted.every((line) => line.endsWith("(server dry run)"))).toBe(true);
      expect(accepted.length).toBe(parseAllDocuments(rendered.stdout).filter((d) => d.toJS()).length);
    }
  });

  it("refuses values that would install but not work, naming the value to fix", () => {
    for (const [setting, message] of [
      ["postgresql.enabled=false", "A database is required"],
      ["inference.endpointMode=static", "inference.staticUrlTemplate is required"],
      ["inference.endpointMode=loadbalancer", /endpointMode.*(cluster-dns|must be one of)/s],
      ["worker.leaderElection.enabled=false", "worker.replicas > 1 needs worker.leaderElection.enabled=true"],
      ["auth.secret=tooshort", /\/auth\/secret.*minLength: got 8, want 32/s],
    ] as const) {
      const result = helm(["template", "kd", chart, "--set", setting]);
      expect(result.status, setting).not.toBe(0);
      expect(result.stderr, setting).toMatch(message);
    }
  });

  it("installs for real and keeps the generated admin password and session secret across an upgrade", () => {
    const name = release();
    const install = helmChart("install", name, [...besideInstalledCrds, "--set", "web.replicas=1"]);
    expect(install.stderr).toBe("");
    expect(install.status).toBe(0);
    // NOTES.txt tells the first administrator how to sign in.
    expect(install.stdout).toContain("First sign-in");
    expect(install.stdout).toContain(`get secret ${name}-kaito-dashboard-auth`);

    const readAuth = () =>
      JSON.parse(
        kubectl(["get", "secret", `${name}-kaito-dashboard-auth`, "-n", ns.name, "-o", "json"]).stdout,
      ) as Manifest;
    const before = readAuth().data!;
    expect(Buffer.from(before.ADMIN_PASSWORD, "base64").toString()).toMatch(/^[A-Za-z0-9]{20}$/);
    expect(Buffer.from(before.AUTH_SECRET, "base64").toString().length).toBeGreaterThanOrEqual(32);

    const upgrade = helmChart("upgrade", name, [...besideInstalledCrds, "--set", "web.replicas=2"]);
    expect(upgrade.status).toBe(0);
    expect(readAuth().data).toEqual(before);

    uninstall(name);
  });

  it("gives the web ServiceAccount what the dashboard needs and nothing of the worker's", () => {
    const name = release();
    const install = helmChart("install", name, besideInstalledCrds);
    expect(install.status).toBe(0);
    const sa = `system:serviceaccount:${ns.name}:${name}-kaito-dashboard-web`;
    const can = (verb: string, resource: string, namespace = "team-a", extra: string[] = []) =>
      kubectl(["auth", "can-i", verb, resource, "--as", sa, "-n", namespace, ...extra]).stdout.trim();

    expect(can("watch", "workspaces.kaito.sh")).toBe("yes");
    expect(can("list", "nodeclaims.karpenter.sh")).toBe("yes");
    // What it does for a person it sends as that person (issue #13): it may impersonate, and
    // may not write a Workspace or read a namespace's Pods and Events as itself.
    expect(can("impersonate", "users")).toBe("yes");
    expect(can("impersonate", "groups")).toBe("yes");
    expect(can("create", "workspaces.kaito.sh")).toBe("no");
    expect(can("delete", "workspaces.kaito.sh")).toBe("no");
    expect(can("list", "pods")).toBe("no");
    expect(can("list", "events")).toBe("no");
    // The controller's writes and anything secret stay out of the web's reach.
    expect(can("create", "nodeclaims.karpenter.sh")).toBe("no");
    expect(can("create", "statefulsets.apps")).toBe("no");
    expect(can("patch", "workspaces.kaito.sh", "team-a", ["--subresource", "status"])).toBe("no");
    expect(can("get", "secrets")).toBe("no");
    expect(can("get", "secrets", ns.name)).toBe("no");
    // services/proxy only in the apiserver-proxy inference mode.
    expect(can("create", "services", "team-a", ["--subresource", "proxy"])).toBe("no");
    const upgrade = helmChart("upgrade", name, ["--reuse-values", "--set", "inference.endpointMode=apiserver-proxy"]);
    expect(upgrade.status).toBe(0);
    expect(can("create", "services", "team-a", ["--subresource", "proxy"])).toBe("yes");

    uninstall(name);
  });
});
