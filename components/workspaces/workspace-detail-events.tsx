import type { EventView } from "@/server/workspaces/workspace-detail-types";

import { formatAge } from "./format-age";
import { DetailSection, td } from "./workspace-detail-section";

/** Kubernetes Events of the Workspace and its objects, newest first. */
export function WorkspaceDetailEvents({ events, now }: { events: EventView[]; now: number }) {
  return (
    <DetailSection title="Events" testId="events">
      {/* Focusable so that keyboard users can scroll it. */}
      <div
        className="max-h-72 overflow-y-auto rounded-lg border border-zinc-200 dark:border-zinc-800"
        tabIndex={0}
        role="region"
        aria-label="Events"
      >
        <table className="w-full text-sm">
          <tbody>
            {events.length === 0 ? (
              <tr>
                <td className={td}>No events (Kubernetes keeps them for an hour).</td>
              </tr>
            ) : null}
            {events.map((e, i) => (
              <tr
                key={i}
                className="border-t border-zinc-100 first:border-0 dark:border-zinc-800"
                data-testid="event-row"
              >
                <td className={`${td} w-16 ${e.type === "Warning" ? "text-red-700" : "text-zinc-500"}`}>{e.type}</td>
                <td className={`${td} font-medium`}>{e.reason}</td>
                <td className={`${td} text-xs text-zinc-500`}>{e.object}</td>
                <td className={td}>
                  {e.message}
                  {e.count > 1 ? (
                    <span className="text-zinc-500" data-testid="event-count">
                      {" "}
                      ×{e.count}
                    </span>
                  ) : null}
                </td>
                <td className={`${td} text-zinc-500`}>{formatAge(e.lastSeen, now)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </DetailSection>
  );
}
