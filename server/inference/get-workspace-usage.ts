import "server-only";

import { getDb } from "@/server/db/client";

import { summarizeUsage, type UsageRow, type WorkspaceUsage } from "./summarize-usage";

export type { WorkspaceUsage } from "./summarize-usage";

const MAX_ROWS = 200_000;

/**
 * Requests, tokens and latency percentiles of one workspace per time bucket, for the charts on
 * its detail page. The caller (a page) has already checked the viewer may read the workspace.
 */
export async function getWorkspaceUsage(
  namespace: string,
  name: string,
  options: { hours?: number; now?: Date } = {},
): Promise<WorkspaceUsage> {
  const hours = options.hours ?? 24;
  const now = options.now ?? new Date();
  const since = new Date(now.getTime() - hours * 3_600_000);
  const db = await getDb();
  const rows: UsageRow[] = await db.inferenceUsage.findMany({
    where: { namespace, workspace: name, occurredAt: { gte: since } },
    select: {
      occurredAt: true,
      status: true,
      promptTokens: true,
      completionTokens: true,
      ttftMs: true,
      durationMs: true,
    },
    orderBy: { occurredAt: "asc" },
    take: MAX_ROWS,
  });
  return summarizeUsage(rows, since, now, hours <= 6 ? 15 : 60);
}
