// Finds or builds the `helm` command the chart tests use. There is no download site here, only
// the Go module proxy, so helm is compiled from helm.sh/helm/v3 (pinned in ./go.mod) once and
// cached outside the repository, keyed by version.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const moduleDir = path.dirname(fileURLToPath(import.meta.url));

export function pinnedHelmVersion(): string {
  const goMod = readFileSync(path.join(moduleDir, "go.mod"), "utf8");
  const match = /^require helm\.sh\/helm\/v3 (v\S+)$/m.exec(goMod);
  if (!match) throw new Error(`dev/helm/go.mod does not pin helm.sh/helm/v3`);
  return match[1];
}

/**
 * The release Makefile's -X flags. Without them helm reports version "v3.22" and assumes
 * Kubernetes 1.20 for `helm template`, which then rejects the chart's kubeVersion.
 */
function releaseLdflags(version: string): string {
  const goMod = readFileSync(path.join(moduleDir, "go.mod"), "utf8");
  const clientGo = /^\s*k8s\.io\/client-go v0\.(\d+)\./m.exec(goMod);
  if (!clientGo) throw new Error("dev/helm/go.mod has no k8s.io/client-go requirement");
  const flags = ["-s", "-w", `-X helm.sh/helm/v3/internal/version.version=${version}`];
  for (const pkg of ["pkg/lint/rules", "pkg/chartutil"]) {
    flags.push(
      `-X helm.sh/helm/v3/${pkg}.k8sVersionMajor=1`,
      `-X helm.sh/helm/v3/${pkg}.k8sVersionMinor=${clientGo[1]}`,
    );
  }
  return flags.join(" ");
}

function cachedHelmPath(version: string): string {
  const cacheRoot = process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), ".cache");
  // "-r2": the build recipe (ldflags) is part of the key, so an older build is not reused.
  return path.join(cacheRoot, "kaito-dashboard", "bin", `helm-${version}-r2`, "helm");
}

/** A helm v3 or v4 already installed is as good as ours: the chart is plain apiVersion v2. */
function helmOnPath(): string | null {
  const candidate = process.env.HELM_BIN ?? "helm";
  const result = spawnSync(candidate, ["version", "--short"], { encoding: "utf8" });
  if (result.status !== 0) return null;
  return /^v[34]\./.test(result.stdout.trim()) ? candidate : null;
}

/**
 * Returns the path of a usable helm binary, building it when neither `HELM_BIN`, a helm on
 * PATH, nor the cached build exists. The build runs at the lowest CPU priority and under a
 * file lock, so parallel test workers wait for one build instead of starting several.
 */
export function ensureHelm(log: (line: string) => void = console.log): string {
  const existing = helmOnPath();
  if (existing) return existing;
  const version = pinnedHelmVersion();
  const target = cachedHelmPath(version);
  if (existsSync(target)) return target;

  mkdirSync(path.dirname(target), { recursive: true });
  log(`▸ Building helm ${version} from its Go module (once; a few minutes on 2 cores) …`);
  const started = Date.now();
  const partial = `${target}.${process.pid}.partial`;
  // flock serializes builders; the inner test skips the build if another process finished it.
  const script = `test -x "$1" || { nice -n 19 go build -trimpath -ldflags="$3" -o "$2" helm.sh/helm/v3/cmd/helm && mv "$2" "$1"; }`;
  const result = spawnSync(
    "flock",
    [`${path.dirname(target)}/.build.lock`, "sh", "-c", script, "sh", target, partial, releaseLdflags(version)],
    { cwd: moduleDir, stdio: ["ignore", "inherit", "inherit"] },
  );
  if (result.error) throw result.error;
  if (result.status !== 0 || !existsSync(target)) {
    throw new Error(`building helm ${version} failed (go build output above)`);
  }
  log(`  helm ${version} ready at ${target} (${Math.round((Date.now() - started) / 1000)} s)`);
  return target;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  console.log(ensureHelm());
}
