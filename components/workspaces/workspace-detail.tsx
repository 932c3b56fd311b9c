"use client";

import Link from "next/link";

import type { WorkspaceDetail } from "@/server/workspaces/workspace-detail-types";

import type { DeleteAction } from "./delete-workspace-button";
import type { UpdateAdaptersAction } from "./edit-adapters";
import { WorkspaceDetailConditions } from "./workspace-detail-conditions";
import { WorkspaceDetailDiagnosis } from "./workspace-detail-diagnosis";
import { WorkspaceDetailEvents } from "./workspace-detail-events";
import { WorkspaceDetailHeader } from "./workspace-detail-header";
import { WorkspaceDetailEndpoints, WorkspaceDetailNodes, WorkspaceDetailPods } from "./workspace-detail-resources";
import { WorkspaceDetailTimeline } from "./workspace-detail-timeline";
import { WorkspaceDetailYaml } from "./workspace-detail-yaml";
import { useNow, useWorkspaceDetail } from "./use-workspace-detail";

type Props = {
  initial: WorkspaceDetail;
  canWrite: boolean;
  deleteAction: DeleteAction;
  updateAdaptersAction: UpdateAdaptersAction;
};

export function WorkspaceDetailView({ initial, canWrite, deleteAction, updateAdaptersAction }: Props) {
  const { data, gone, connection, refresh } = useWorkspaceDetail(initial);
  const now = useNow();
  const ws = data.workspace;

  return (
    <div className="flex flex-col gap-6">
      <WorkspaceDetailHeader
        workspace={ws}
        problem={data.problem}
        connection={connection}
        gone={gone}
        canChat={!data.diagnosis?.terminal}
        canWrite={canWrite}
        deleteAction={deleteAction}
        updateAdaptersAction={updateAdaptersAction}
        onChange={refresh}
      />

      {gone ? (
        <p role="status" className="rounded-md bg-zinc-100 p-3 text-sm dark:bg-zinc-900" data-testid="workspace-gone">
          This workspace no longer exists.{" "}
          <Link href="/workspaces" className="text-blue-700 underline">
            Back to the list
          </Link>
        </p>
      ) : null}

      <WorkspaceDetailDiagnosis diagnosis={data.diagnosis} inference={Boolean(ws.inference)} />
      {data.warnings.map((w) => (
        <p key={w} className="text-xs text-amber-700">
          {w}
        </p>
      ))}

      <WorkspaceDetailTimeline phases={data.timeline} run={data.run} earlierRuns={data.earlierRuns} />

      <WorkspaceDetailConditions conditions={ws.status?.conditions ?? []} now={now} />

      <div className="grid grid-cols-1 gap-6 xl:grid-cols-2">
        <WorkspaceDetailNodes nodeClaims={data.nodeClaims} nodes={data.nodes} />
        <WorkspaceDetailPods pods={data.pods} />
      </div>

      <WorkspaceDetailEndpoints services={data.services} />
      <WorkspaceDetailEvents events={data.events} now={now} />
      <WorkspaceDetailYaml workspace={ws} />
    </div>
  );
}
