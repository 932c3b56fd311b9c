// Runs before any dependency is installed, so it uses Node built-ins only.
import { spawnSync } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import path from "node:path";

export const root = path.resolve(import.meta.dirname, "../..");

export function step(message) {
  console.log(`\x1b[36m▸\x1b[0m ${message}`);
}

export function run(command, args, options = {}) {
  const result = spawnSync(command, args, {
    cwd: root,
    stdio: "inherit",
    ...options,
    env: { ...process.env, ...options.env },
  });
  if (result.error) throw result.error;
  if (result.status !== 0) {
    const error = new Error(`${command} ${args.join(" ")} exited with ${result.status ?? result.signal}`);
    error.exitCode = result.status ?? 1;
    throw error;
  }
}

function isStale(target, source) {
  return !existsSync(target) || statSync(target).mtimeMs < statSync(source).mtimeMs;
}

/**
 * Installs Debian packages whose program is missing (e.g. { chromium: "/usr/bin/chromium" }).
 * The machines this project targets give root and Debian's registry; elsewhere it says what to install.
 */
export function ensureSystemPackages(packages) {
  const missing = Object.entries(packages)
    .filter(([, program]) => !existsSync(program))
    .map(([name]) => name);
  if (missing.length === 0) return;
  if (process.getuid?.() !== 0 || !existsSync("/usr/bin/apt-get")) {
    throw new Error(
      `missing system packages: ${missing.join(", ")} — install them (Debian: apt-get install ${missing.join(" ")})`,
    );
  }
  step(`Installing from Debian: ${missing.join(", ")} …`);
  const env = { DEBIAN_FRONTEND: "noninteractive" };
  run("apt-get", ["update", "-qq"], { env });
  run("apt-get", ["install", "-y", "-qq", ...missing], { env });
}

/** Installs npm dependencies when node_modules is missing or older than the lock file. */
export function ensureDependencies() {
  const [major, minor] = process.versions.node.split(".").map(Number);
  if (major < 20 || (major === 20 && minor < 19)) {
    throw new Error(`Node.js ${process.versions.node} is too old: kaito-dashboard needs Node.js 20.19 or newer`);
  }
  const installed = path.join(root, "node_modules/.package-lock.json");
  if (isStale(installed, path.join(root, "package-lock.json"))) {
    // Not `npm ci`: the registry here serves no other platforms' optional binaries (SWC, oxide), so
    // the lock file cannot list them and `npm ci` refuses it as out of sync; install keeps the lock.
    step("Installing npm dependencies (npm install, versions from package-lock.json) …");
    run("npm", ["install", "--no-audit", "--no-fund"], {
      env: { PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: "1", NEXT_TELEMETRY_DISABLED: "1" },
    });
  }
  if (!existsSync(path.join(root, "server/db/generated")) || isGeneratedClientStale()) {
    step("Generating the Prisma client …");
    run("npm", ["run", "--silent", "prisma:generate"]);
  }
}

function isGeneratedClientStale() {
  const marker = path.join(root, "server/db/generated/client.ts");
  if (!existsSync(marker)) return true;
  const schemaDir = path.join(root, "prisma/schema");
  if (!existsSync(schemaDir)) return false;
  const newest = spawnSync("find", [schemaDir, "-newer", marker, "-name", "*.prisma"], {
    encoding: "utf8",
  }).stdout.trim();
  return newest.length > 0;
}
