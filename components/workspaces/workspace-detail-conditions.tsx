import type { ConditionView } from "@/server/workspaces/workspace-detail-types";

import { explainCondition } from "./explain-condition";
import { formatAge } from "./format-age";
import { DetailSection, td, th } from "./workspace-detail-section";

/** The Workspace's status conditions, each with what it means in plain words. */
export function WorkspaceDetailConditions({ conditions, now }: { conditions: ConditionView[]; now: number }) {
  return (
    <DetailSection title="Conditions" testId="conditions">
      <div className="overflow-x-auto rounded-lg border border-zinc-200 dark:border-zinc-800">
        <table className="w-full text-sm">
          <thead className="bg-zinc-50 dark:bg-zinc-900">
            <tr>
              <th className={th}>Type</th>
              <th className={th}>Status</th>
              <th className={th}>Meaning</th>
              <th className={th}>Reason / message</th>
              <th className={th}>Since</th>
            </tr>
          </thead>
          <tbody>
            {conditions.length === 0 ? (
              <tr>
                <td className={td} colSpan={5}>
                  No conditions yet: the controller has not reconciled this workspace.
                </td>
              </tr>
            ) : null}
            {conditions.map((c) => (
              <tr
                key={c.type}
                className="border-t border-zinc-100 dark:border-zinc-800"
                data-testid={`condition-${c.type}`}
                data-status={c.status}
              >
                <td className={`${td} font-medium`}>{c.type}</td>
                <td
                  className={`${td} ${c.status === "True" ? "text-emerald-700" : c.status === "False" ? "text-red-700" : "text-zinc-500"}`}
                >
                  {c.status}
                </td>
                <td className={td}>{explainCondition(c.reason, c.status, c.message)}</td>
                <td className={`${td} text-xs text-zinc-600 dark:text-zinc-400`}>
                  <code>{c.reason}</code>
                  {c.message ? ` — ${c.message}` : ""}
                </td>
                <td className={`${td} text-zinc-500`}>{formatAge(c.lastTransitionTime ?? null, now)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </DetailSection>
  );
}
