"use client";

import { useEffect, useState } from "react";

type Health = { connected: boolean; source?: string; server?: string; message?: string };

/** A dot and a word: is the dashboard talking to its Kubernetes cluster right now? */
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
  return (
    <div
      role="status"
      className="flex items-center gap-2 text-xs text-zinc-600 dark:text-zinc-400"
      title={health?.message ?? health?.server ?? ""}
    >
      <span aria-hidden className={`inline-block size-2 rounded-full ${color}`} />
      <span data-testid="cluster-indicator">{label}</span>
    </div>
  );
}
