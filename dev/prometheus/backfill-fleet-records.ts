// The fleet's recording rules evaluated over history that Prometheus already holds, with
// Prometheus's own rule backfill (`promtool tsdb create-blocks-from rules`), as a ruler would have
// recorded it live. Used by the fleet's rule test and the metrics benchmark; on a cluster, the
// same two passes backfill the records for history from before the chart's PrometheusRule.
import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";

import {
  FLEET_HOURLY_RULES,
  FLEET_PERIOD_RULES,
  FLEET_RULE_INTERVAL_SECONDS,
  renderFleetRuleFile,
} from "@/server/metrics/fleet-recording-rules";

import { PROMTOOL } from "./start-local-prometheus";

/** promtool cuts its blocks at 2 h and stops at the first block that holds no evaluation time. */
const BLOCK_SECONDS = 2 * 3600;

export type FleetBackfill = {
  /** The data directory of the Prometheus that `serve` starts; the records are imported there. */
  dataDir: string;
  /** Starts a Prometheus over `dataDir` (and loads the blocks imported since the last start). */
  serve: () => Promise<{ url: string; stop(): Promise<void> }>;
  /** Unix seconds: the hourly records from `start`, the period records from `periodsFrom`. */
  start: number;
  end: number;
  periodsFrom?: number;
};

/**
 * Two passes, because the backfill reads only what the served Prometheus holds: the hourly
 * records from the raw series, then the 24 h and 7 d records from the hourly ones. Both passes
 * read their rules from one file path: promtool, like Prometheus, evaluates a group at an offset
 * within its interval derived from the group's name and file, so the period records are evaluated
 * at the same times as the hourly points they sum, as the one group does live. (From two paths,
 * the last period record could come before the last hourly point and leave it out.) Returns the
 * seconds each pass took.
 */
export async function backfillFleetRecords(plan: FleetBackfill): Promise<{ hourly: number; periods: number }> {
  const scratch = mkdtempSync(path.join(plan.dataDir, "..", "fleet-backfill-"));
  try {
    const ruleFile = path.join(scratch, "fleet-rules.yml");
    const hourly = await backfillPass(plan, ruleFile, FLEET_HOURLY_RULES, plan.start);
    const periods = await backfillPass(plan, ruleFile, FLEET_PERIOD_RULES, plan.periodsFrom ?? plan.start);
    return { hourly, periods };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

async function backfillPass(
  plan: FleetBackfill,
  ruleFile: string,
  rules: typeof FLEET_HOURLY_RULES,
  start: number,
): Promise<number> {
  const started = performance.now();
  writeFileSync(ruleFile, renderFleetRuleFile(undefined, rules));
  const outputDir = path.join(path.dirname(ruleFile), "blocks");
  const prometheus = await plan.serve();
  try {
    await promisify(execFile)(PROMTOOL, [
      "tsdb",
      "create-blocks-from",
      "rules",
      // One evaluation interval earlier, so that the first hour of history is recorded too.
      `--start=${Math.floor((start - FLEET_RULE_INTERVAL_SECONDS) / BLOCK_SECONDS) * BLOCK_SECONDS}`,
      `--end=${plan.end}`,
      `--url=${prometheus.url}`,
      `--output-dir=${outputDir}`,
      ruleFile,
    ]);
  } finally {
    await prometheus.stop();
  }
  for (const block of readdirSync(outputDir)) renameSync(path.join(outputDir, block), path.join(plan.dataDir, block));
  rmSync(outputDir, { recursive: true, force: true });
  return (performance.now() - started) / 1000;
}
