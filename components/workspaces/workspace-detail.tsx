"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useCallback, useEffect, useState } from "react";
import { stringify } from "yaml";

import { TimelineChart } from "@/components/timeline/timeline-chart";
import type { WorkspaceDetail } from "@/server/workspaces/workspace-detail-types";

import { DeleteWorkspaceButton, type DeleteAction } from "./delete-workspace-button";
import { EditAdapters, type UpdateAdaptersAction } from "./edit-adapters";
import { explainCondition } from "./explain-condition";
import { formatAge } from "./format-age";
import { StateBadge } from "./status-badge";
import { useWorkspaceStream } from "./use-workspace-stream";

type Props = {
  initial: WorkspaceDetail;
  canWrite: boolean;
  deleteAction: DeleteAction;
  updateAdaptersAction: UpdateAdaptersAction;
};

function Section({ title, children, testId }: { title: string; children: React.ReactNode; testId?: string }) {
  return (
    <section className="flex flex-col gap-2" data-testid={testId}>
      <h2 className="text-sm font-semibold tracking-wide text-zinc-500 uppercase">{title}</h2>
      {children}
    </section>
  );
}

const th = "px-3 py-1.5 text-left text-[11px] font-semibold tracking-wide text-zinc-500 uppercase";
const td = "px-3 py-1.5 align-top";

export function WorkspaceDetailView({ initial, canWrite, deleteAction, updateAdaptersAction }: Props) {
  const { namespace, name } = initial.workspace.metadata;
  const key = `${namespace}/${name}`;
  const queryClient = useQueryClient();
  const [gone, setGone] = useState(false);
  const { data } = useQuery<WorkspaceDetail>({
    queryKey: ["workspace", key],
    initialData: initial,
    // Pods and events change without the Workspace changing; a slow poll catches those.
    refetchInterval: gone ? false : 10_000,
    staleTime: 0,
    retry: false,
    queryFn: async () => {
      const response = await fetch(`/api/workspaces/${namespace}/${name}`);
      if (response.status === 404) {
        setGone(true);
        throw new Error("deleted");
      }
      if (!response.ok) throw new Error((await response.json()).error?.message ?? "refresh failed");
      return response.json();
    },
  });
  const onChange = useCallback(
    () => void queryClient.invalidateQueries({ queryKey: ["workspace", key] }),
    [queryClient, key],
  );
  const connection = useWorkspaceStream(`/api/workspaces/stream?key=${encodeURIComponent(key)}`, onChange);
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 15_000);
    return () => clearInterval(t);
  }, []);

  const ws = data.workspace;
  const conditions = ws.status?.conditions ?? [];
  const state = ws.metadata.deletionTimestamp ? "Deleting" : (ws.status?.state ?? "Pending");
  const { metadata, ...rest } = ws;
  const { managedFields: _managed, ...shownMetadata } = metadata as typeof metadata & { managedFields?: unknown };
  const liveYaml = stringify({
    ...rest,
    metadata: shownMetadata,
    status: ws.status,
    apiVersion: ws.apiVersion,
    kind: ws.kind,
  });
  const model = ws.inference?.preset?.name ?? ws.tuning?.preset?.name ?? "custom template";

  return (
    <div className="flex flex-col gap-6">
      <header className="flex flex-wrap items-center gap-3">
        <h1 className="text-xl font-semibold">{name}</h1>
        <span className="text-sm text-zinc-500">{namespace}</span>
        <span data-testid="detail-state">
          <StateBadge state={state} />
        </span>
        <span className="text-sm text-zinc-600 dark:text-zinc-400">
          {model} on {ws.resource?.instanceType ?? "?"} × {ws.resource?.count ?? 1}
        </span>
        <span className={`text-xs ${connection === "live" ? "text-emerald-700" : "text-amber-700"}`}>
          {connection === "live" ? "● Live" : "○ Connecting…"}
        </span>
        <div className="ml-auto flex items-center gap-2">
          {ws.inference ? (
            <Link
              href={`/playground?workspace=${encodeURIComponent(key)}`}
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

      {gone ? (
        <p role="status" className="rounded-md bg-zinc-100 p-3 text-sm dark:bg-zinc-900" data-testid="workspace-gone">
          This workspace no longer exists.{" "}
          <Link href="/workspaces" className="text-blue-700 underline">
            Back to the list
          </Link>
        </p>
      ) : null}

      {data.diagnosis ? (
        <section
          data-testid="why-not-ready"
          data-cause={data.diagnosis.cause}
          className={`rounded-lg border p-4 ${
            data.diagnosis.cause === "waiting" || data.diagnosis.cause === "deleting"
              ? "border-amber-300 bg-amber-50 dark:border-amber-800 dark:bg-amber-950/40"
              : "border-red-300 bg-red-50 dark:border-red-800 dark:bg-red-950/40"
          }`}
        >
          <h2 className="text-sm font-semibold">Why is this not ready?</h2>
          <p className="mt-1 text-sm">
            <strong>{data.diagnosis.title}</strong> — blocked at <em>{data.diagnosis.step}</em>.
          </p>
          <p className="mt-1 text-sm text-zinc-700 dark:text-zinc-300">{data.diagnosis.detail}</p>
        </section>
      ) : (
        <p
          className="rounded-lg border border-emerald-300 bg-emerald-50 p-3 text-sm dark:border-emerald-800 dark:bg-emerald-950/40"
          data-testid="ready-banner"
        >
          Ready: {ws.inference ? "the model is serving requests." : "the tuning job succeeded."}
        </p>
      )}
      {data.warnings.map((w) => (
        <p key={w} className="text-xs text-amber-700">
          {w}
        </p>
      ))}

      <Section title="Provisioning and readiness timeline" testId="timeline">
        <TimelineChart phases={data.timeline} />
      </Section>

      <Section title="Conditions" testId="conditions">
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
                  <td className={td}>{explainCondition(c.reason, c.status)}</td>
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
      </Section>

      <div className="grid grid-cols-1 gap-6 xl:grid-cols-2">
        <Section title="NodeClaims and nodes" testId="nodes">
          <table className="w-full text-sm">
            <thead>
              <tr>
                <th className={th}>Name</th>
                <th className={th}>Instance</th>
                <th className={th}>Status</th>
              </tr>
            </thead>
            <tbody>
              {data.nodeClaims.map((nc) => {
                const ready = nc.conditions.find((c) => c.type === "Ready");
                const failing = nc.conditions.find((c) => c.status === "False" && c.message);
                return (
                  <tr key={nc.name} className="border-t border-zinc-100 dark:border-zinc-800">
                    <td className={td}>
                      NodeClaim <span className="font-mono">{nc.name}</span>
                    </td>
                    <td className={`${td} font-mono text-xs`}>{nc.instanceType}</td>
                    <td className={td}>
                      Ready={ready?.status ?? "Unknown"}
                      {failing ? (
                        <span className="block text-xs text-red-700">
                          {failing.reason}: {failing.message}
                        </span>
                      ) : null}
                    </td>
                  </tr>
                );
              })}
              {data.nodes.map((n) => (
                <tr key={n.name} className="border-t border-zinc-100 dark:border-zinc-800">
                  <td className={td}>
                    Node <span className="font-mono">{n.name}</span>
                  </td>
                  <td className={`${td} font-mono text-xs`}>{n.instanceType}</td>
                  <td className={td}>
                    Ready={n.ready} · {n.gpuCapacity} GPU{n.gpuCapacity === 1 ? "" : "s"} {n.gpuProduct ?? ""}
                  </td>
                </tr>
              ))}
              {data.nodeClaims.length + data.nodes.length === 0 ? (
                <tr>
                  <td className={td} colSpan={3}>
                    None yet.
                  </td>
                </tr>
              ) : null}
            </tbody>
          </table>
        </Section>

        <Section title="Pods" testId="pods">
          <table className="w-full text-sm">
            <thead>
              <tr>
                <th className={th}>Pod</th>
                <th className={th}>Phase</th>
                <th className={th}>Restarts</th>
                <th className={th}>Last termination</th>
              </tr>
            </thead>
            <tbody>
              {data.pods.map((p) => {
                const main = p.containers[0];
                return (
                  <tr key={p.name} className="border-t border-zinc-100 dark:border-zinc-800">
                    <td className={`${td} font-mono text-xs`}>
                      {p.name}
                      <span className="block text-zinc-500">{p.nodeName ?? "not scheduled"}</span>
                    </td>
                    <td className={td}>
                      {p.phase}
                      {main?.stateReason ? (
                        <span className="block text-xs text-amber-700">{main.stateReason}</span>
                      ) : null}
                    </td>
                    <td className={td}>{p.containers.reduce((sum, c) => sum + c.restarts, 0)}</td>
                    <td className={td}>
                      {main?.lastTerminationReason
                        ? `${main.lastTerminationReason} (exit ${main.lastTerminationExitCode ?? "?"})`
                        : "–"}
                    </td>
                  </tr>
                );
              })}
              {data.pods.length === 0 ? (
                <tr>
                  <td className={td} colSpan={4}>
                    No pods yet.
                  </td>
                </tr>
              ) : null}
            </tbody>
          </table>
        </Section>
      </div>

      <Section title="Endpoints" testId="endpoints">
        {data.services.length === 0 ? <p className="text-sm text-zinc-500">No Service yet.</p> : null}
        <ul className="flex flex-col gap-1 text-sm">
          {data.services.map((s) => (
            <li key={s.name}>
              <span className="font-mono">{s.name}</span> · {s.type} {s.clusterIP ?? ""} · {s.ports.join(", ")}
              {s.clusterIP !== "None" ? (
                <>
                  {" "}
                  · in-cluster URL <code className="rounded bg-zinc-100 px-1 dark:bg-zinc-900">{s.inClusterUrl}</code>
                </>
              ) : null}
            </li>
          ))}
        </ul>
      </Section>

      <Section title="Events" testId="events">
        <div className="max-h-72 overflow-y-auto rounded-lg border border-zinc-200 dark:border-zinc-800">
          <table className="w-full text-sm">
            <tbody>
              {data.events.length === 0 ? (
                <tr>
                  <td className={td}>No events (Kubernetes keeps them for an hour).</td>
                </tr>
              ) : null}
              {data.events.map((e, i) => (
                <tr key={i} className="border-t border-zinc-100 first:border-0 dark:border-zinc-800">
                  <td className={`${td} w-16 ${e.type === "Warning" ? "text-red-700" : "text-zinc-500"}`}>{e.type}</td>
                  <td className={`${td} font-medium`}>{e.reason}</td>
                  <td className={`${td} text-xs text-zinc-500`}>{e.object}</td>
                  <td className={td}>
                    {e.message}
                    {e.count > 1 ? <span className="text-zinc-500"> ×{e.count}</span> : null}
                  </td>
                  <td className={`${td} text-zinc-500`}>{formatAge(e.lastSeen, now)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </Section>

      <Section title="Live YAML" testId="live-yaml">
        <pre className="max-h-[32rem] overflow-auto rounded-md bg-zinc-950 p-3 text-xs text-zinc-100">{liveYaml}</pre>
      </Section>
    </div>
  );
}
