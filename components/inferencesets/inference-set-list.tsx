import Link from "next/link";

import type { InferenceSetRow } from "@/server/inferencesets/summarize-inferenceset";

import { DetailSection, td, th } from "../workspaces/workspace-detail-section";

/** The InferenceSets above the workspace list: `kubectl get is` columns and where each stands. */
export function InferenceSetList({ rows }: { rows: InferenceSetRow[] }) {
  if (rows.length === 0) return null;
  return (
    <DetailSection title="InferenceSets" testId="inferenceset-list">
      <div className="overflow-x-auto rounded-lg border border-zinc-200 dark:border-zinc-800">
        <table className="w-full text-sm">
          <thead className="bg-zinc-50 dark:bg-zinc-900">
            <tr>
              <th className={th}>Namespace</th>
              <th className={th}>Name</th>
              <th className={th}>Model</th>
              <th className={th}>Instance</th>
              <th className={th}>Replicas</th>
              <th className={th}>Ready replicas</th>
              <th className={th}>Status</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr
                key={row.key}
                className="border-t border-zinc-100 dark:border-zinc-800"
                data-testid={`inferenceset-row-${row.namespace}-${row.name}`}
              >
                <td className={td}>{row.namespace}</td>
                <td className={`${td} font-medium`}>
                  <Link
                    href={`/inferencesets/${row.namespace}/${row.name}`}
                    className="text-blue-700 hover:underline dark:text-blue-400"
                  >
                    {row.name}
                  </Link>
                </td>
                <td className={td}>{row.model}</td>
                <td className={td}>{row.instanceType}</td>
                <td className={td} data-testid="inferenceset-replicas">
                  {row.replicas}
                </td>
                <td className={td} data-testid="inferenceset-ready-replicas">
                  {row.readyReplicas}
                </td>
                <td className={`${td} text-xs text-zinc-600 dark:text-zinc-400`}>
                  {row.deleting ? "Deleting" : row.ready === "True" ? "Ready" : row.message || "Pending"}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </DetailSection>
  );
}
