import type { NodeClaimView, NodeView, PodView, ServiceView } from "@/server/workspaces/workspace-detail-types";

import { DetailSection, td, th } from "./workspace-detail-section";

/** The NodeClaims and Nodes under the Workspace, with the failing NodeClaim condition spelled out. */
export function WorkspaceDetailNodes({ nodeClaims, nodes }: { nodeClaims: NodeClaimView[]; nodes: NodeView[] }) {
  return (
    <DetailSection title="NodeClaims and nodes" testId="nodes">
      <table className="w-full text-sm">
        <thead>
          <tr>
            <th className={th}>Name</th>
            <th className={th}>Instance</th>
            <th className={th}>Status</th>
          </tr>
        </thead>
        <tbody>
          {nodeClaims.map((nc) => {
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
          {nodes.map((n) => (
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
          {nodeClaims.length + nodes.length === 0 ? (
            <tr>
              <td className={td} colSpan={3}>
                None yet.
              </td>
            </tr>
          ) : null}
        </tbody>
      </table>
    </DetailSection>
  );
}

/** The workload's pods: phase, restarts and how the main container last ended. */
export function WorkspaceDetailPods({ pods }: { pods: PodView[] }) {
  return (
    <DetailSection title="Pods" testId="pods">
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
          {pods.map((p) => {
            const main = p.containers[0];
            return (
              <tr key={p.name} className="border-t border-zinc-100 dark:border-zinc-800">
                <td className={`${td} font-mono text-xs`}>
                  {p.name}
                  <span className="block text-zinc-500">{p.nodeName ?? "not scheduled"}</span>
                </td>
                <td className={td}>
                  {p.phase}
                  {main?.stateReason ? <span className="block text-xs text-amber-700">{main.stateReason}</span> : null}
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
          {pods.length === 0 ? (
            <tr>
              <td className={td} colSpan={4}>
                No pods yet.
              </td>
            </tr>
          ) : null}
        </tbody>
      </table>
    </DetailSection>
  );
}

/** The Services and the URL other pods in the cluster reach the model at. */
export function WorkspaceDetailEndpoints({ services }: { services: ServiceView[] }) {
  return (
    <DetailSection title="Endpoints" testId="endpoints">
      {services.length === 0 ? <p className="text-sm text-zinc-500">No Service yet.</p> : null}
      <ul className="flex flex-col gap-1 text-sm">
        {services.map((s) => (
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
    </DetailSection>
  );
}
