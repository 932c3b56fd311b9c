import "server-only";

import { findPreset } from "@/lib/kaito/presets";

import type { WorkspaceRow } from "./summarize-workspace";

/** The best post-load benchmark figure among a preset's Workspaces, and where it was measured. */
export type MeasuredThroughput = { peakTokensPerMinute: number; instanceType: string; workspaces: number };

/**
 * For the model catalog: per preset, the highest status.performance peakTokensPerMinute among the
 * Workspaces the viewer may see (a Workspace may name the preset or its HuggingFace id).
 */
export function measuredThroughputByPreset(rows: WorkspaceRow[]): Record<string, MeasuredThroughput> {
  const measured: Record<string, MeasuredThroughput> = {};
  for (const row of rows) {
    const preset = row.mode === "inference" ? findPreset(row.model) : undefined;
    if (!preset || row.peakTokensPerMinute === null) continue;
    const best = measured[preset.name];
    if (!best)
      measured[preset.name] = {
        peakTokensPerMinute: row.peakTokensPerMinute,
        instanceType: row.instanceType,
        workspaces: 1,
      };
    else {
      best.workspaces += 1;
      if (row.peakTokensPerMinute > best.peakTokensPerMinute) {
        best.peakTokensPerMinute = row.peakTokensPerMinute;
        best.instanceType = row.instanceType;
      }
    }
  }
  return measured;
}
