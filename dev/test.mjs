// `npm test`: installs what the suites need, then runs every suite and prints one closing tally.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";

import { ensureDependencies, ensureSystemPackages, root, run, step } from "./lib/ensure-deps.mjs";

process.env.NEXT_TELEMETRY_DISABLED = "1";
process.env.PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD = "1";

const resultsDir = path.join(root, ".data/test-results");
rmSync(resultsDir, { recursive: true, force: true });
mkdirSync(resultsDir, { recursive: true });

const only = process.argv.slice(2);
const suites = [
  { name: "lint", run: () => run("npx", ["eslint", "."]) },
  { name: "format", run: () => run("npx", ["prettier", "--check", "."]) },
  { name: "typecheck", run: () => run("npx", ["tsc", "--noEmit", "-p", "."]) },
  { name: "unit", counts: "vitest", run: () => vitest("unit") },
  { name: "build", run: () => buildOnce() },
  { name: "integration", counts: "vitest", run: () => vitest("integration") },
  { name: "e2e", counts: "playwright", run: () => playwright() },
];

// One production build serves the packaging test and the end-to-end suite.
const distDir = ".next";
process.env.KD_PACKAGE_NEXT_DIST_DIR = distDir;
process.env.E2E_DIST_DIR = distDir;
process.env.NEXT_DIST_DIR = distDir;

// The integration and end-to-end suites share one local cluster; stop it at the end only
// if this run started it.
const clusterWasRunning =
  spawnSync("npm", ["run", "--silent", "cluster:status"], { cwd: root, stdio: "ignore" }).status === 0;
process.env.KEEP_CLUSTER = "1";

function buildOnce() {
  run("npx", ["next", "build"], { env: { NEXT_DIST_DIR: distDir } });
  step("Helm (built from its Go module the first time) …");
  run("npm", ["run", "--silent", "helm:build"]);
}

function vitest(project) {
  run("npx", [
    "vitest",
    "run",
    "--project",
    project,
    "--reporter=default",
    "--reporter=json",
    `--outputFile.json=${path.join(resultsDir, `${project}.json`)}`,
  ]);
}

function playwright() {
  run("npx", ["playwright", "test", "--reporter=list,json"], {
    env: { PLAYWRIGHT_JSON_OUTPUT_FILE: path.join(resultsDir, "e2e.json") },
  });
}

function readCounts(suite) {
  const file = path.join(resultsDir, `${suite.name}.json`);
  if (!existsSync(file)) return undefined;
  const report = JSON.parse(readFileSync(file, "utf8"));
  if (suite.counts === "vitest") {
    return {
      passed: report.numPassedTests,
      failed: report.numFailedTests,
      skipped: report.numPendingTests + report.numTodoTests,
      failures: report.testResults.flatMap((file) =>
        file.assertionResults
          .filter((test) => test.status === "failed")
          .map((test) => `${path.relative(root, file.name)} › ${test.fullName}`),
      ),
    };
  }
  const stats = report.stats ?? {};
  return {
    passed: stats.expected ?? 0,
    failed: (stats.unexpected ?? 0) + (stats.flaky ?? 0),
    skipped: stats.skipped ?? 0,
    failures: playwrightFailures(report.suites ?? []),
  };
}

// Playwright nests suites by file and describe block; a spec failed when its outcome was not expected.
function playwrightFailures(suites, titles = []) {
  return suites.flatMap((suite) => [
    ...(suite.specs ?? [])
      .filter((spec) => spec.tests.some((test) => !["expected", "skipped"].includes(test.status)))
      .map((spec) => `${spec.file}:${spec.line} › ${[...titles, spec.title].filter(Boolean).join(" › ")}`),
    ...playwrightFailures(suite.suites ?? [], suite.file === suite.title ? titles : [...titles, suite.title]),
  ]);
}

ensureSystemPackages({
  chromium: "/usr/bin/chromium",
  "docker-registry": "/usr/bin/docker-registry",
  "busybox-static": "/bin/busybox",
  prometheus: "/usr/bin/prometheus",
});
ensureDependencies();

const outcomes = [];
for (const suite of suites) {
  if (only.length > 0 && !only.includes(suite.name)) continue;
  step(`Suite: ${suite.name}`);
  const started = Date.now();
  let ok = true;
  try {
    suite.run();
  } catch (error) {
    ok = false;
    console.error(`✗ ${suite.name}: ${error.message}`);
  }
  outcomes.push({
    suite,
    ok,
    seconds: Math.round((Date.now() - started) / 1000),
    counts: suite.counts && readCounts(suite),
  });
}

if (!clusterWasRunning && outcomes.some((o) => ["integration", "e2e"].includes(o.suite.name))) {
  step("Stopping the local cluster this run started …");
  spawnSync("npm", ["run", "--silent", "cluster:down"], { cwd: root, stdio: "inherit" });
}

let passed = 0;
let failed = 0;
let skipped = 0;
console.log("\nSummary");
for (const { suite, ok, seconds, counts } of outcomes) {
  const detail = counts ? ` (${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped)` : "";
  console.log(`  ${ok ? "✓" : "✗"} ${suite.name.padEnd(12)} ${String(seconds).padStart(4)} s${detail}`);
  if (counts) {
    passed += counts.passed;
    failed += counts.failed;
    skipped += counts.skipped;
  }
  if (!ok && !(counts && counts.failed > 0)) failed += 1;
}
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
// The names of what failed come last, so that the tail of a long CI log still shows them.
const failures = outcomes.flatMap(({ counts }) => counts?.failures ?? []);
if (failures.length > 0) {
  console.log("\nFailed");
  for (const name of failures) console.log(`  ✗ ${name}`);
}
process.exit(outcomes.every((o) => o.ok) ? 0 : 1);
