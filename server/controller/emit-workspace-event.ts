import "server-only";

import { createHash } from "node:crypto";

import { isAlreadyExists, type KubeClient } from "@/server/kube/kube-client";
import type { Workspace } from "@/server/kube/types/workspace";

export type WorkspaceEvent = {
  type: "Normal" | "Warning";
  reason: string;
  message: string;
  /** Identifies the occurrence: the same key yields the same Event name, so a restarted worker does not repeat it. */
  key: string;
};

/** A core/v1 Event on the Workspace, visible in `kubectl describe workspace`. */
export async function emitWorkspaceEvent(client: KubeClient, ws: Workspace, event: WorkspaceEvent): Promise<void> {
  const suffix = createHash("sha256").update(`${ws.metadata.uid}|${event.key}`).digest("hex").slice(0, 16);
  const now = new Date().toISOString();
  try {
    await client.request({
      method: "POST",
      path: `/api/v1/namespaces/${ws.metadata.namespace}/events`,
      body: {
        apiVersion: "v1",
        kind: "Event",
        metadata: { name: `${ws.metadata.name}.${suffix}`, namespace: ws.metadata.namespace },
        involvedObject: {
          apiVersion: ws.apiVersion,
          kind: "Workspace",
          name: ws.metadata.name,
          namespace: ws.metadata.namespace,
          uid: ws.metadata.uid,
        },
        reason: event.reason,
        message: event.message.slice(0, 1024),
        type: event.type,
        source: { component: "kaito-dashboard-controller" },
        reportingComponent: "kaito-dashboard-controller",
        reportingInstance: process.env.HOSTNAME ?? "worker",
        firstTimestamp: now,
        lastTimestamp: now,
        count: 1,
      },
    });
  } catch (error) {
    if (!isAlreadyExists(error)) throw error;
  }
}
