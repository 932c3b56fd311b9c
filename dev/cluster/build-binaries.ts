// Builds the local cluster's binaries (etcd, kube-apiserver, kube-controller-manager,
// kube-scheduler, kwok, kwokctl) from the Go modules pinned in dev/cluster/bins/go.mod, into a
// cache outside the repo keyed by those pins, so a second checkout or a `git clean` reuses them.
import { spawn, spawnSync } from "node:child_process";
import { createWriteStream, existsSync, mkdirSync, readFileSync, renameSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";

import { tailFile } from "./processes";

const binsModuleDir = path.join(import.meta.dirname, "bins");

export type BinaryName = "etcd" | "kube-apiserver" | "kube-controller-manager" | "kube-scheduler" | "kwok" | "kwokctl";

type BinarySpec = { name: BinaryName; pkg: string; module: string; version: string };

export type ResolvedBinaries = Record<BinaryName, string>;

export class BuildError extends Error {}

/** Reads the pinned module versions from go.mod, the single source of truth for the pins. */
export function readPins(): { kubernetes: string; kwok: string; etcd: string } {
  const goMod = readFileSync(path.join(binsModuleDir, "go.mod"), "utf8");
  const pin = (module: string) => {
    const match = goMod.match(new RegExp(`^\\s*${module.replaceAll(".", "\\.")} (v\\S+)`, "m"));
    if (!match) throw new BuildError(`dev/cluster/bins/go.mod does not pin ${module}`);
    return match[1];
  };
  return {
    kubernetes: pin("k8s.io/kubernetes"),
    kwok: pin("sigs.k8s.io/kwok"),
    etcd: pin("go.etcd.io/etcd/server/v3"),
  };
}

function binarySpecs(): BinarySpec[] {
  const pins = readPins();
  const kube = (name: BinaryName): BinarySpec => ({
    name,
    pkg: `k8s.io/kubernetes/cmd/${name}`,
    module: `k8s.io/kubernetes@${pins.kubernetes}`,
    version: pins.kubernetes,
  });
  return [
    {
      name: "etcd",
      pkg: "go.etcd.io/etcd/server/v3",
      module: `go.etcd.io/etcd/server/v3@${pins.etcd}`,
      version: pins.etcd,
    },
    kube("kube-apiserver"),
    kube("kube-controller-manager"),
    kube("kube-scheduler"),
    { name: "kwok", pkg: "sigs.k8s.io/kwok/cmd/kwok", module: `sigs.k8s.io/kwok@${pins.kwok}`, version: pins.kwok },
    {
      name: "kwokctl",
      pkg: "sigs.k8s.io/kwok/cmd/kwokctl",
      module: `sigs.k8s.io/kwok@${pins.kwok}`,
      version: pins.kwok,
    },
  ];
}

/** `~/.cache/kaito-dashboard/bin/k8s-v1.36.3-kwok-v0.8.0-etcd-v3.6.8`: a new pin gets a new folder. */
export function binaryCacheDir(): string {
  const pins = readPins();
  const base = process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), ".cache");
  return path.join(base, "kaito-dashboard", "bin", `k8s-${pins.kubernetes}-kwok-${pins.kwok}-etcd-${pins.etcd}`);
}

function findOnPath(name: string, env: Record<string, string | undefined> = process.env): string | undefined {
  for (const dir of (env.PATH ?? "").split(path.delimiter)) {
    if (dir && existsSync(path.join(dir, name))) return path.join(dir, name);
  }
  return undefined;
}

/**
 * Finds each binary in KUBEBUILDER_ASSETS (envtest's folder: etcd + kube-apiserver), then on PATH,
 * then in the version-keyed cache; builds only what is still missing.
 */
export async function ensureBinaries(log: (line: string) => void = console.log): Promise<ResolvedBinaries> {
  const cacheDir = binaryCacheDir();
  const resolved: Partial<ResolvedBinaries> = {};
  const missing: BinarySpec[] = [];
  for (const spec of binarySpecs()) {
    const assets = process.env.KUBEBUILDER_ASSETS;
    const fromAssets = assets && existsSync(path.join(assets, spec.name)) ? path.join(assets, spec.name) : undefined;
    const found = fromAssets ?? findOnPath(spec.name);
    const cached = path.join(cacheDir, spec.name);
    if (found) {
      log(`  ${spec.name}: using ${found} (${fromAssets ? "KUBEBUILDER_ASSETS" : "PATH"})`);
      resolved[spec.name] = found;
    } else if (existsSync(cached)) {
      resolved[spec.name] = cached;
    } else {
      missing.push(spec);
    }
  }
  if (missing.length > 0) await buildMissing(missing, cacheDir, log);
  for (const spec of missing) resolved[spec.name] = path.join(cacheDir, spec.name);
  return resolved as ResolvedBinaries;
}

/** Go from PATH, else the official tarball's location (npm scripts may run with a shorter PATH). */
export function requireGo(
  env: Record<string, string | undefined> = process.env,
  fallbacks = ["/usr/local/go/bin/go"],
): string {
  const go = findOnPath("go", env) ?? fallbacks.find((f) => existsSync(f));
  if (!go || spawnSync(go, ["version"]).status !== 0) {
    throw new BuildError(
      "The local cluster is built from source and needs Go ≥ 1.26 on PATH (https://go.dev/dl/), " +
        "which was not found. Install Go, or skip the local cluster entirely by pointing KUBECONFIG " +
        "at an existing cluster (the Kaito Workspace CRD is installed from charts/kaito-dashboard/files/crds).",
    );
  }
  return go;
}

async function buildMissing(specs: BinarySpec[], cacheDir: string, log: (line: string) => void): Promise<void> {
  const go = requireGo();
  mkdirSync(cacheDir, { recursive: true });
  const logPath = path.join(cacheDir, "..", `build-${path.basename(cacheDir)}.log`);
  const logStream = createWriteStream(logPath, { flags: "a" });
  log(`▸ Building ${specs.map((s) => s.name).join(", ")} from pinned Go modules into ${cacheDir}`);
  log(`  The first build takes about 8 minutes on 2 cores; the Go build cache makes later ones fast. Log: ${logPath}`);
  const started = Date.now();
  try {
    for (const spec of specs) {
      const t0 = Date.now();
      log(`  building ${spec.name} (${spec.module}) …`);
      const ticker = setInterval(
        () => log(`    … ${spec.name} still building, ${Math.round((Date.now() - t0) / 1000)} s`),
        30_000,
      );
      try {
        await goBuild(go, spec, cacheDir, logStream);
      } catch (error) {
        // Writes to the log are asynchronous: let the compiler's last words land before quoting them.
        await new Promise<void>((resolve) => logStream.write("", () => resolve()));
        throw new BuildError(
          `Building ${spec.name} from ${spec.module} failed (${(error as Error).message}). ` +
            `The compiler output is in ${logPath}; its last lines:\n${tailFile(logPath, 8)}`,
        );
      } finally {
        clearInterval(ticker);
      }
      log(`  built ${spec.name} in ${Math.round((Date.now() - t0) / 1000)} s`);
    }
  } finally {
    logStream.end();
  }
  log(`  all binaries built in ${Math.round((Date.now() - started) / 1000)} s`);
}

function goBuild(go: string, spec: BinarySpec, cacheDir: string, logStream: NodeJS.WritableStream): Promise<void> {
  // Build to a temporary name and rename, so an interrupted build never leaves a truncated binary
  // that the next run would take for a finished one.
  const partial = path.join(cacheDir, `.${spec.name}.partial`);
  rmSync(partial, { force: true });
  const ldflags = ["-s", "-w"];
  if (spec.pkg.startsWith("k8s.io/kubernetes/")) {
    // Without these the binaries report v0.0.0-master, which kubectl and kwokctl misread.
    const [major, minor] = spec.version.slice(1).split(".");
    const versionPkg = "k8s.io/component-base/version";
    ldflags.push(
      `-X ${versionPkg}.gitVersion=${spec.version}`,
      `-X ${versionPkg}.gitMajor=${major}`,
      `-X ${versionPkg}.gitMinor=${minor}`,
      `-X ${versionPkg}.gitTreeState=clean`,
    );
  }
  const args = ["build", "-ldflags", ldflags.join(" "), "-o", partial, spec.pkg];
  logStream.write(`\n$ go ${args.join(" ")}\n`);
  return new Promise((resolve, reject) => {
    const child = spawn(go, args, {
      cwd: binsModuleDir,
      env: process.env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout.pipe(logStream, { end: false });
    child.stderr.pipe(logStream, { end: false });
    child.on("error", reject);
    child.on("close", (code) => {
      if (code === 0) {
        renameSync(partial, path.join(cacheDir, spec.name));
        resolve();
      } else {
        reject(new Error(`go build exited with code ${code}`));
      }
    });
  });
}
