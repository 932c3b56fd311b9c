import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";

import { root } from "./processes";

const sources = ["app", "components", "server", "public", "next.config.mjs", "package-lock.json", "postcss.config.mjs"];

/** Runs `next build` when the production build is missing or older than any source file. */
export function buildIfStale(distDir: string): void {
  const buildId = path.join(root, distDir, "BUILD_ID");
  if (existsSync(buildId)) {
    const newer = spawnSync(
      "find",
      [...sources.filter((s) => existsSync(path.join(root, s))), "-newer", buildId, "-type", "f", "-print", "-quit"],
      {
        cwd: root,
        encoding: "utf8",
      },
    ).stdout.trim();
    if (!newer) return;
    console.log(`▸ Sources changed since the last build (${newer}): rebuilding the web app (about a minute) …`);
  } else {
    console.log("▸ Building the web app with next build (about a minute on 2 cores) …");
  }
  const started = Date.now();
  const result = spawnSync("npx", ["next", "build"], {
    cwd: root,
    stdio: "inherit",
    env: { ...process.env, NEXT_DIST_DIR: distDir },
  });
  if (result.status !== 0) throw new Error("next build failed (output above)");
  console.log(`  built in ${Math.round((Date.now() - started) / 1000)} s`);
}
