import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";

import { root } from "./processes";

/** What `next build` reads: a change in any of these makes a production build stale. */
export const NEXT_SOURCES = [
  "app",
  "components",
  "lib",
  "server",
  "public",
  "next.config.mjs",
  "package-lock.json",
  "postcss.config.mjs",
];

/** The first file under `sources` (paths from the repository root) modified after `marker`, or null. */
export function findChangedSource(sources: readonly string[], marker: string): string | null {
  const existing = sources.filter((source) => existsSync(path.join(root, source)));
  const result = spawnSync("find", [...existing, "-newer", marker, "-type", "f", "-print", "-quit"], {
    cwd: root,
    encoding: "utf8",
  });
  return result.stdout.trim() || null;
}

/** Runs `next build` into `distDir` when the build is missing or older than any source file. */
export function buildIfStale(distDir: string, log: (line: string) => void = console.log): void {
  const buildId = path.join(root, distDir, "BUILD_ID");
  if (existsSync(buildId)) {
    const changed = findChangedSource(NEXT_SOURCES, buildId);
    if (!changed) return;
    log(
      `▸ Sources changed since the last build (${changed}): rebuilding the web app into ${distDir} (about a minute) …`,
    );
  } else {
    log(`▸ Building the web app with next build into ${distDir} (about a minute on 2 cores) …`);
  }
  const started = Date.now();
  const result = spawnSync(process.execPath, [path.join(root, "node_modules/next/dist/bin/next"), "build"], {
    cwd: root,
    stdio: ["ignore", "inherit", "inherit"],
    env: { ...process.env, NEXT_DIST_DIR: distDir, NEXT_TELEMETRY_DISABLED: "1", NODE_ENV: "production" },
  });
  if (result.status !== 0) throw new Error("next build failed (output above)");
  log(`  built in ${Math.round((Date.now() - started) / 1000)} s`);
}
