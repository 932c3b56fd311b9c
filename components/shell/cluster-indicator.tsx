"use client";

import { useEffect, useState } from "react";

import type { ControllerStatus } from "@/server/controller/upstream-status";

type Health = {
  connected: boolean;
  source?: string;
  server?: string;
  message?: string;
  controller?: ControllerStatus;
};

/**
 * A dot and a word: is the dashboard talking to its Kubernetes cluster right now? Below it, what
 * the controller does: observe mode, or standing down beside upstream Kaito and the mode that works.
 */
export function ClusterIndicator() {
  const [health, setHealth] = useState<Health | null>(null);
  useEffect(() => {
    let stopped = false;
    const check = async () => {
      try {
        const response = await fetch("/api/cluster/health", { cache: "no-store" });
        const body = (await response.json()) as Health;
        if (!stopped)
          setHealth(
            response.ok || response.status === 503 ? body : { connected: false, message: "health check refused" },
          );
      } catch {
        if (!stopped) setHealth({ connected: false, message: "dashboard unreachable" });
      }
    };
    void check();
    const timer = setInterval(check, 15_000);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, []);
  const label = health === null ? "Checking cluster…" : health.connected ? "Cluster connected" : "Cluster unreachable";
  const color = health === null ? "bg-zinc-400" : health.connected ? "bg-emerald-500" : "bg-red-500";
  const controller = health?.connected ? health.controller : undefined;
  return (
    <div role="status" className="flex flex-col gap-1 text-xs text-zinc-600 dark:text-zinc-400">
      <div className="flex items-center gap-2" title={health?.message ?? health?.server ?? ""}>
        <span aria-hidden className={`inline-block size-2 rounded-full ${color}`} />
        <span data-testid="cluster-indicator">{label}</span>
      </div>
      {controller?.refused ? (
        <p data-testid="controller-refused" title={controller.refused} className="text-amber-700 dark:text-amber-400">
          Upstream Kaito&apos;s controller is running, so this dashboard&apos;s controller stands down. Run it in
          observe mode (controller.mode=observe).
        </p>
      ) : controller?.mode === "observe" ? (
        <p data-testid="controller-mode">
          Observe mode{controller.upstream.length ? ": Kaito's controller reconciles" : ": no Kaito controller found"}
        </p>
      ) : null}
    </div>
  );
}
