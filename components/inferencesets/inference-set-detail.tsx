import Link from "next/link";

import type { InferenceSetDetail } from "@/server/inferencesets/get-inferenceset-detail";

import { ServingPanel } from "../serving/serving-panel";
import { StateBadge } from "../workspaces/status-badge";
import { WorkspaceDetailConditions } from "../workspaces/workspace-detail-conditions";
import { DetailSection, td, th } from "../workspaces/workspace-detail-section";
import { ScaleInferenceSet, type ScaleAction } from "./scale-inference-set";

/** An InferenceSet: its counts, the replica control, its children (each with its own page and timeline), its conditions. */
export function InferenceSetDetailView({
  detail,
  canWrite,
  scaleAction,
  now,
}: {
  detail: InferenceSetDetail;
  canWrite: boolean;
  scaleAction: ScaleAction;
  now: number;
}) {
  const { set, children, conditions } = detail;
  return (
    <div className="flex flex-col gap-6">
      <header className="flex flex-col gap-1">
        <div className="flex flex-wrap items-center gap-3">
          <h1 className="text-xl font-semibold">
            <span className="text-zinc-500">{set.namespace}/</span>
            {set.name}
          </h1>
          {/* The proxy spreads the set's chats over its ready replicas (docs/inferencesets.md). */}
          <Link
            href={`/playground?inferenceset=${encodeURIComponent(`${set.namespace}/${set.name}`)}`}
            className="ml-auto rounded-md border border-zinc-300 px-3 py-1.5 text-sm hover:bg-zinc-50 dark:border-zinc-700 dark:hover:bg-zinc-900"
          >
            Open in playground
          </Link>
        </div>
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          InferenceSet of {set.model} on {set.instanceType || "your own nodes"}
          {set.nodeCountLimit !== null ? `, at most ${set.nodeCountLimit} GPU nodes` : ""}
        </p>
        <p className="text-sm" data-testid="inferenceset-counts">
          {set.readyReplicas} of {set.replicas} replicas ready
        </p>
      </header>
      {canWrite ? (
        <ScaleInferenceSet
          key={set.replicas}
          namespace={set.namespace}
          name={set.name}
          replicas={set.replicas}
          autoscaled={set.autoscaling}
          action={scaleAction}
        />
      ) : null}
      <DetailSection title="Replicas (child workspaces)" testId="inferenceset-children">
        <div className="overflow-x-auto rounded-lg border border-zinc-200 dark:border-zinc-800">
          <table className="w-full text-sm">
            <thead className="bg-zinc-50 dark:bg-zinc-900">
              <tr>
                <th className={th}>Workspace</th>
                <th className={th}>State</th>
                <th className={th}>Nodes</th>
              </tr>
            </thead>
            <tbody>
              {children.length === 0 ? (
                <tr>
                  <td className={td} colSpan={3}>
                    No child workspaces.
                  </td>
                </tr>
              ) : null}
              {children.map((ws) => (
                <tr
                  key={ws.key}
                  className="border-t border-zinc-100 dark:border-zinc-800"
                  data-testid={`inferenceset-child-${ws.name}`}
                >
                  <td className={`${td} font-medium`}>
                    <Link
                      href={`/workspaces/${ws.namespace}/${ws.name}`}
                      className="text-blue-700 hover:underline dark:text-blue-400"
                    >
                      {ws.name}
                    </Link>
                  </td>
                  <td className={td}>
                    <StateBadge state={ws.deleting ? "Deleting" : ws.state} problem={ws.problem} />
                  </td>
                  <td className={td}>{ws.targetNodeCount ?? ""}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </DetailSection>
      <ServingPanel namespace={set.namespace} name={set.name} kind="inferencesets" />
      <WorkspaceDetailConditions conditions={conditions} now={now} />
    </div>
  );
}
