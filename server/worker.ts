import "server-only";

import http from "node:http";
import os from "node:os";

import { WorkspaceState } from "@/lib/kaito/conditions";
import { controllerConfig } from "@/server/controller/config";
import { runLeaderElection, type LeaderElection } from "@/server/controller/leader-election";
import { createLogger } from "@/server/controller/logger";
import { createControllerMetrics, resourceOfPath } from "@/server/controller/metrics";
import { startController, type RunningController } from "@/server/controller/start-controller";
import { describeSigns, refusalMessage } from "@/server/controller/upstream-signs";
import { watchUpstreamController } from "@/server/controller/upstream-watch";
import { createKubeClient } from "@/server/kube/kube-client";
import { loadKubeConfig } from "@/server/kube/kubeconfig";

/**
 * The controller process (`npm run worker`): leader election, then informers + work queue +
 * reconcilers while leading; /metrics, /healthz and /readyz always.
 */
async function main() {
  const config = controllerConfig();
  const log = createLogger(config.LOG_LEVEL, { component: "worker" });
  const metrics = createControllerMetrics();
  const { kc, source } = loadKubeConfig();
  const client = await createKubeClient(kc, {
    observe: (verb, path, code) =>
      metrics.apiRequests.inc({ verb, resource: resourceOfPath(path), code: String(code) }),
  });
  const identity = `${os.hostname()}-${process.pid}`;
  let controller: RunningController | null = null;
  let election: LeaderElection | null = null;
  let leading = false;
  /** Why this worker stands down (upstream Kaito's controller is present), or null. */
  let refusal: string | null = null;
  let transition = Promise.resolve();

  const stateTimer = setInterval(() => {
    if (!controller) return;
    const counts = new Map<string, number>();
    for (const ws of controller.caches.workspaces.list()) {
      const state = ws.status?.state ?? "Unknown";
      counts.set(state, (counts.get(state) ?? 0) + 1);
    }
    metrics.workspacesByState.reset();
    for (const [state, n] of counts) metrics.workspacesByState.set({ state }, n);
    metrics.workspaceReady.reset();
    for (const ws of controller.caches.workspaces.list())
      if (ws.inference)
        metrics.workspaceReady.set(
          { namespace: ws.metadata.namespace ?? "", workspace: ws.metadata.name },
          ws.status?.state === WorkspaceState.Ready ? 1 : 0,
        );
    for (const h of controller.informerHealth()) metrics.informerHealthy.set({ path: h.path }, h.watching ? 1 : 0);
  }, 5000);
  stateTimer.unref();

  const upstream = watchUpstreamController({
    client,
    log,
    onChange: (signs) => {
      if (config.CONTROLLER_MODE === "observe") {
        if (signs.length) log.info("observing beside upstream Kaito's controller", { upstream: describeSigns(signs) });
        else log.warn("no upstream Kaito controller found: in observe mode nothing reconciles these Workspaces");
        return;
      }
      refusal = signs.length ? refusalMessage(signs) : null;
      if (refusal) log.error(refusal, { upstream: describeSigns(signs) });
      else log.info("no upstream Kaito controller present: reconciling");
      settle();
    },
  });
  const server = http.createServer(async (req, res) => {
    const url = req.url ?? "/";
    if (url === "/metrics") {
      res.writeHead(200, { "Content-Type": metrics.registry.contentType });
      res.end(await metrics.registry.metrics());
    } else if (url === "/healthz") {
      res.writeHead(200, { "Content-Type": "text/plain" });
      res.end("ok\n");
    } else if (url === "/readyz") {
      // A standby is ready (it is healthy and waiting for the lease); a leader is ready once its
      // caches have listed; a worker that stands down beside upstream Kaito is not, and says why.
      const leader = election ? election.isLeader() : leading;
      const ok = !refusal && (!leader || (controller?.ready() ?? false));
      res.writeHead(ok ? 200 : 503, { "Content-Type": "application/json" });
      res.end(
        JSON.stringify({
          ready: ok,
          mode: config.CONTROLLER_MODE,
          ...(refusal ? { refused: refusal } : {}),
          upstream: upstream.signs(),
          leader,
          identity,
          informers: [...(controller?.informerHealth() ?? []), ...upstream.health()],
        }),
      );
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(config.WORKER_PORT, resolve));
  const port = (server.address() as { port: number }).port;
  log.info("worker listening", {
    port,
    kubeconfig: source,
    identity,
    mode: config.CONTROLLER_MODE,
    provisioner: config.NODE_PROVISIONER_MODE,
  });

  // Open (and migrate) the database before leading, so the first reconciles do not queue
  // behind it; a worker that cannot record the timeline must not start.
  if (config.CONTROLLER_TIMELINE === "database") await (await import("@/server/db/client")).getDb();

  // Run the controller exactly while this worker leads and no upstream controller is present;
  // starts and stops are serialized, so a flapping sign never runs two at once.
  const settle = () => {
    transition = transition.then(async () => {
      const run = leading && !refusal;
      if (run && !controller) {
        controller = await startController({ client, config, log, metrics });
      } else if (!run && controller) {
        const stopping = controller;
        controller = null;
        await stopping.stop();
        log.info("controller stopped");
      }
    });
    transition.catch((error: unknown) => {
      log.error("controller failed to start", { error });
      process.exit(1);
    });
  };
  await upstream.start();

  const lead = () => {
    metrics.isLeader.set(1);
    leading = true;
    settle();
  };
  // Losing the lease mid-flight means another worker may already reconcile: stop at once and
  // exit, the supervisor restarts us as a clean standby (client-go does the same).
  const unlead = () => {
    metrics.isLeader.set(0);
    log.error("leadership lost; exiting");
    process.exit(1);
  };
  // An observer takes no Lease: holding one is a write, and its timeline rows are idempotent, so
  // two observers recording the same transitions store them once.
  if (config.LEADER_ELECTION && config.CONTROLLER_MODE === "reconcile") {
    election = runLeaderElection({
      client,
      namespace: config.LEADER_ELECTION_NAMESPACE,
      name: config.LEADER_ELECTION_LEASE_NAME,
      identity,
      durationSeconds: config.LEADER_ELECTION_LEASE_DURATION_SECONDS,
      renewDeadlineSeconds: config.LEADER_ELECTION_RENEW_DEADLINE_SECONDS,
      retryPeriodSeconds: config.LEADER_ELECTION_RETRY_PERIOD_SECONDS,
      log,
      onStartedLeading: lead,
      onStoppedLeading: unlead,
    });
  } else {
    lead();
  }

  const shutdown = async (signal: string) => {
    log.info("shutting down", { signal });
    await controller?.stop();
    upstream.stop();
    await election?.stop();
    server.close();
    process.exit(0);
  };
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${JSON.stringify({ level: "error", msg: "worker failed to start", error: error instanceof Error ? error.message : String(error) })}\n`,
  );
  process.exit(1);
});
