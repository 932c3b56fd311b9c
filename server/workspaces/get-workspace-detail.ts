import "server-only";

import type { CoreV1Event, V1Node, V1Pod, V1Service } from "@kubernetes/client-node";

import {
  LABEL_GPU_PRODUCT,
  LABEL_INSTANCE_TYPE,
  LABEL_WORKSPACE,
  LABEL_WORKSPACE_NAMESPACE,
  RESOURCE_GPU,
} from "@/lib/kaito/labels";
import { AppError } from "@/server/errors";
import { getKubeClient } from "@/server/kube/get-kube-client";
import type { KubeIdentity } from "@/server/kube/kube-client";
import { ALL_NODECLAIMS_PATH, coreNamespacedPath, nodePath, workspacesPath } from "@/server/kube/kube-paths";
import { mapKubeError } from "@/server/kube/map-kube-error";
import type { Workspace } from "@/server/kube/types/workspace";
import { getWorkspaceTimeline } from "@/server/timeline/get-workspace-timeline";

import { deriveTimeline } from "./derive-timeline";
import { collapseEvents, diagnoseWorkspace, stopTimelineAtFailure } from "./diagnose-workspace";
import { isoTime as toIso } from "./iso-time";
import { workspaceProblem } from "./summarize-workspace";
import { timelineRunsFromRecorded } from "./timeline-from-recorded";
import { checkGet } from "./workspace-access";
import { getWorkspaceCache } from "./workspace-cache";
import type {
  ConditionView as Condition,
  ContainerView,
  EventView,
  NodeClaimView,
  NodeView,
  PodView,
  ServiceView,
  TimelineRun,
  WorkspaceDetail,
} from "./workspace-detail-types";

type NodeClaim = {
  metadata: { name: string; creationTimestamp?: string; labels?: Record<string, string> };
  spec?: { requirements?: { key: string; values?: string[] }[] };
  status?: { nodeName?: string; conditions?: Condition[] };
};

function viewNodeClaim(nc: NodeClaim): NodeClaimView {
  return {
    name: nc.metadata.name,
    instanceType: nc.spec?.requirements?.find((r) => r.key === LABEL_INSTANCE_TYPE)?.values?.[0] ?? "",
    nodeName: nc.status?.nodeName ?? null,
    createdAt: nc.metadata.creationTimestamp ?? null,
    conditions: nc.status?.conditions ?? [],
  };
}

function viewNode(node: V1Node): NodeView {
  const ready = node.status?.conditions?.find((c) => c.type === "Ready");
  return {
    name: node.metadata!.name!,
    instanceType: node.metadata?.labels?.[LABEL_INSTANCE_TYPE] ?? "",
    ready: ready?.status ?? "Unknown",
    gpuCapacity: Number(node.status?.capacity?.[RESOURCE_GPU] ?? 0),
    gpuProduct: node.metadata?.labels?.[LABEL_GPU_PRODUCT] ?? null,
    createdAt: toIso(node.metadata?.creationTimestamp),
    readyAt: ready?.status === "True" ? toIso(ready.lastTransitionTime) : null,
  };
}

function viewPod(pod: V1Pod): PodView {
  const containers: ContainerView[] = (pod.status?.containerStatuses ?? []).map((cs) => {
    const state = cs.state?.running
      ? "running"
      : cs.state?.waiting
        ? "waiting"
        : cs.state?.terminated
          ? "terminated"
          : "unknown";
    const detail = cs.state?.waiting ?? cs.state?.terminated;
    return {
      name: cs.name,
      ready: cs.ready,
      restarts: cs.restartCount,
      state,
      stateReason: detail?.reason ?? null,
      stateMessage: detail?.message ?? null,
      startedAt: toIso(cs.state?.running?.startedAt ?? cs.state?.terminated?.startedAt),
      lastTerminationReason: cs.lastState?.terminated?.reason ?? null,
      lastTerminationExitCode: cs.lastState?.terminated?.exitCode ?? null,
    };
  });
  // The workload's main container is named after the workspace; put it first for the timeline.
  const main = pod.metadata?.labels?.[LABEL_WORKSPACE];
  containers.sort((a, b) => Number(b.name === main) - Number(a.name === main));
  return {
    name: pod.metadata!.name!,
    phase: pod.status?.phase ?? "Unknown",
    nodeName: pod.spec?.nodeName ?? null,
    createdAt: toIso(pod.metadata?.creationTimestamp),
    conditions: (pod.status?.conditions ?? []).map((c) => ({
      type: c.type,
      status: c.status as Condition["status"],
      reason: c.reason,
      message: c.message,
      lastTransitionTime: toIso(c.lastTransitionTime) ?? undefined,
    })),
    containers,
  };
}

function viewEvent(e: CoreV1Event): EventView {
  return {
    type: e.type ?? "Normal",
    reason: e.reason ?? "",
    message: e.message ?? "",
    object: `${e.involvedObject.kind}/${e.involvedObject.name}`,
    count: e.count ?? 1,
    lastSeen: toIso(e.lastTimestamp ?? e.eventTime ?? e.metadata.creationTimestamp),
  };
}

function viewService(svc: V1Service): ServiceView {
  const name = svc.metadata!.name!;
  const ns = svc.metadata!.namespace!;
  const port = svc.spec?.ports?.[0]?.port ?? 80;
  return {
    name,
    type: svc.spec?.type ?? "ClusterIP",
    clusterIP: svc.spec?.clusterIP ?? null,
    ports: (svc.spec?.ports ?? []).map((p) =>
      `${p.name ?? ""} ${p.port}→${p.targetPort ?? p.port}/${p.protocol ?? "TCP"}`.trim(),
    ),
    inClusterUrl: `http://${name}.${ns}.svc.cluster.local${port === 80 ? "" : `:${port}`}`,
  };
}

/**
 * The controller's durable record, one run per rollout, when it has one for this incarnation of
 * the workspace; null sends the caller to the timestamps on the live objects instead.
 */
async function recordedRuns(ws: Workspace): Promise<TimelineRun[] | null> {
  try {
    const { workspaceUid, events } = await getWorkspaceTimeline(ws.metadata.namespace, ws.metadata.name);
    if (!events.length || (ws.metadata.uid && workspaceUid !== ws.metadata.uid)) return null;
    const runs = timelineRunsFromRecorded(events);
    return runs.length ? runs : null;
  } catch (error) {
    console.error("timeline could not be read; showing the one derived from the live objects", error);
    return null;
  }
}

async function readWorkspace(namespace: string, name: string, as: KubeIdentity): Promise<Workspace | null> {
  const path = workspacesPath(namespace, name);
  // The watch cache reads with the web's ServiceAccount: the person must be allowed to get the
  // Workspace themselves before it shows them anything of it.
  const access = await checkGet(as, path).catch((error: unknown) => {
    throw mapKubeError(error, `read workspace ${namespace}/${name}`);
  });
  if (!access.allowed) throw new AppError("forbidden", access.message);
  const cache = getWorkspaceCache();
  await cache.ready();
  const cached = cache.get(namespace, name);
  if (cached) return cached;
  // A workspace created a moment ago may not have arrived through the watch yet.
  try {
    return await (await getKubeClient()).request<Workspace>({ method: "GET", path, as });
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode === 404) return null;
    throw mapKubeError(error, `read workspace ${namespace}/${name}`);
  }
}

type List<T> = { items: T[] };

/**
 * Everything the detail page shows about one workspace, read with label selectors scoped to
 * it. The Workspace, its Pods, Services and Events are read as the person (`as`), so RBAC
 * decides what they see; NodeClaims and Nodes are cluster-scoped infrastructure that a
 * namespace's RoleBinding cannot grant, so they are read with the web's ServiceAccount, and only
 * after the Workspace read succeeded. A missing NodeClaim CRD (bring-your-own-node clusters) is
 * reported, not fatal.
 */
export async function getWorkspaceDetail(
  namespace: string,
  name: string,
  as: KubeIdentity,
): Promise<WorkspaceDetail | null> {
  const workspace = await readWorkspace(namespace, name, as);
  if (!workspace) return null;
  const client = await getKubeClient();
  const warnings: string[] = [];
  const selector = `${LABEL_WORKSPACE}=${name}`;
  const list = <T>(path: string, labelSelector?: string) =>
    client.request<List<T>>({ method: "GET", path, query: { labelSelector }, as }).then((r) => r.items);

  const [claimList, podList, eventList, serviceList] = await Promise.all([
    client
      .request<List<NodeClaim>>({
        method: "GET",
        path: ALL_NODECLAIMS_PATH,
        query: { labelSelector: `${selector},${LABEL_WORKSPACE_NAMESPACE}=${namespace}` },
      })
      .then((r) => r.items)
      .catch(() => {
        warnings.push("NodeClaims could not be listed (is the karpenter NodeClaim CRD installed?)");
        return [] as NodeClaim[];
      }),
    list<V1Pod>(coreNamespacedPath(namespace, "pods"), selector),
    list<CoreV1Event>(coreNamespacedPath(namespace, "events")),
    // Upstream Kaito does not label its Services (our controller does): whose they are is their
    // controller ownerReference, so the namespace's Services are read and filtered here.
    list<V1Service>(coreNamespacedPath(namespace, "services")).then((services) =>
      services.filter(
        (svc) =>
          svc.metadata?.labels?.[LABEL_WORKSPACE] === name ||
          (!!workspace.metadata.uid &&
            svc.metadata?.ownerReferences?.some((r) => r.controller && r.uid === workspace.metadata.uid)),
      ),
    ),
  ]).catch((error) => {
    throw mapKubeError(error, `read the objects of workspace ${namespace}/${name}`);
  });

  const nodeClaims = claimList.map(viewNodeClaim);
  const nodeNames = new Set([
    ...nodeClaims.map((nc) => nc.nodeName).filter((n): n is string => Boolean(n)),
    ...(workspace.status?.workerNodes ?? []),
    ...podList.map((p) => p.spec?.nodeName).filter((n): n is string => Boolean(n)),
  ]);
  const nodes = await Promise.all(
    [...nodeNames].map((n) =>
      client
        .request<V1Node>({ method: "GET", path: nodePath(n) })
        .then(viewNode)
        .catch(() => null),
    ),
  );
  const pods = podList.map(viewPod);
  const related = new Set([name, ...pods.map((p) => p.name), ...nodeClaims.map((nc) => nc.name)]);
  const events = collapseEvents(
    eventList.filter((e) => e.involvedObject.name && related.has(e.involvedObject.name)).map(viewEvent),
  );
  const runs = (await recordedRuns(workspace)) ?? [
    { number: 1, start: "", phases: deriveTimeline(workspace, nodeClaims, pods) },
  ];
  const current = runs.at(-1)!;
  const derived = current.phases;
  const diagnosis = diagnoseWorkspace(workspace, nodeClaims, pods, derived, events);
  const timeline = stopTimelineAtFailure(derived, diagnosis);
  return {
    workspace,
    nodeClaims,
    nodes: nodes.filter((n): n is NodeView => n !== null),
    pods,
    events,
    services: serviceList.map(viewService),
    timeline,
    run: current.number,
    earlierRuns: runs.slice(0, -1).reverse(),
    diagnosis,
    problem: workspaceProblem(workspace),
    warnings,
  };
}
