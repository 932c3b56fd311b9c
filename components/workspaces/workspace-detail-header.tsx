"use client";

import Link from "next/link";

import { describePartition } from "@/lib/kaito/partition";
import { formatTokensPerMinute, peakTokensPerMinute } from "@/lib/kaito/performance";
import { workspaceState } from "@/lib/kaito/workspace-state";
import type { Workspace } from "@/server/kube/types/workspace";
import type { WorkspaceProblem } from "@/server/workspaces/summarize-workspace";

import { DeleteWorkspaceButton, type DeleteAction } from "./delete-workspace-button";
import { EditAdapters, type UpdateAdaptersAction } from "./edit-adapters";
import { StateBadge } from "./status-badge";

type Props = {
  workspace: Workspace;
  problem: WorkspaceProblem | null;
  connection: string;
  gone: boolean;
  /** False once the Workspace has failed for good: there is nothing to chat with. */
  canChat: boolean;
  canWrite: boolean;
  deleteAction: DeleteAction;
  updateAdaptersAction: UpdateAdaptersAction;
  onChange(): void;
};

/** Name, state, model and the actions on the Workspace. */
export function WorkspaceDetailHeader({
  workspace: ws,
  problem,
  connection,
  gone,
  canChat,
  canWrite,
  deleteAction,
  updateAdaptersAction,
  onChange,
}: Props) {
  const { namespace, name } = ws.metadata;
  const state = workspaceState(ws);
  const model = ws.inference?.preset?.name ?? ws.tuning?.preset?.name ?? "custom template";
  const partition = ws.resource?.partition;
  const throughput = peakTokensPerMinute(ws.status?.performance);
  return (
    <header className="flex flex-wrap items-center gap-3">
      <h1 className="text-xl font-semibold">{name}</h1>
      <span className="text-sm text-zinc-500">{namespace}</span>
      <span data-testid="detail-state">
        <StateBadge state={state} problem={problem} />
      </span>
      <span className="text-sm text-zinc-600 dark:text-zinc-400">
        {model} on {ws.resource?.instanceType || (partition ? "bring-your-own nodes" : "?")} × {ws.resource?.count ?? 1}
        {partition ? <span data-testid="detail-partition"> · partition {describePartition(partition)}</span> : null}
      </span>
      {throughput !== undefined ? (
        <span
          className="text-sm text-zinc-600 dark:text-zinc-400"
          data-testid="detail-throughput"
          title="status.performance: the post-load benchmark's peak"
        >
          Measured {formatTokensPerMinute(throughput)}
        </span>
      ) : null}
      <span className={`text-xs ${connection === "live" ? "text-emerald-700" : "text-amber-700"}`}>
        {connection === "live" ? "● Live" : "○ Connecting…"}
      </span>
      <div className="ml-auto flex items-center gap-2">
        {ws.inference && canChat && !gone ? (
          <Link
            href={`/playground?workspace=${encodeURIComponent(`${namespace}/${name}`)}`}
            className="rounded-md border border-zinc-300 px-3 py-1.5 text-sm hover:bg-zinc-50 dark:border-zinc-700 dark:hover:bg-zinc-900"
          >
            Open in playground
          </Link>
        ) : null}
        {canWrite && !gone ? (
          <Link
            href={`/workspaces/${namespace}/${name}/edit`}
            className="rounded-md border border-zinc-300 px-3 py-1.5 text-sm hover:bg-zinc-50 dark:border-zinc-700 dark:hover:bg-zinc-900"
          >
            Edit
          </Link>
        ) : null}
        {canWrite && ws.inference && !gone ? (
          <EditAdapters workspace={ws} action={updateAdaptersAction} onSaved={onChange} />
        ) : null}
        {canWrite && !gone ? (
          <DeleteWorkspaceButton namespace={namespace} name={name} action={deleteAction} onDeleted={onChange} />
        ) : null}
      </div>
    </header>
  );
}
