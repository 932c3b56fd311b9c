"use client";

import { useEffect, useState } from "react";

type NodeChoice = { name: string; instanceType: string; gpus: number; ready: boolean; gpuProduct: string | null };

/**
 * Existing nodes that carry the selector's labels (and the instance type). Picking one writes
 * `resource.preferredNodes`, so the workspace reuses it instead of waiting for a new VM.
 */
export function NodePicker({
  matchLabels,
  instanceType,
  selected,
  onChange,
}: {
  matchLabels: Record<string, string>;
  instanceType: string;
  selected: string[];
  onChange: (nodes: string[]) => void;
}) {
  const [nodes, setNodes] = useState<NodeChoice[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const labels = Object.entries(matchLabels)
    .map(([k, v]) => `${k}=${v}`)
    .join(",");

  useEffect(() => {
    if (!labels) return;
    const controller = new AbortController();
    const timer = setTimeout(() => {
      fetch(`/api/workspaces/nodes?${new URLSearchParams({ labels, instanceType })}`, { signal: controller.signal })
        .then(async (r) => {
          const body = await r.json();
          if (!r.ok) throw new Error(body.error?.message ?? "Nodes could not be listed");
          setNodes(body.nodes);
          setError(null);
        })
        .catch((e: Error) => {
          if (e.name !== "AbortError") setError(e.message);
        });
    }, 400);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [labels, instanceType]);

  const toggle = (name: string, on: boolean) => onChange(on ? [...selected, name] : selected.filter((n) => n !== name));

  return (
    <fieldset className="flex flex-col gap-1 text-sm" data-testid="node-picker">
      <legend className="mb-1 font-medium">Existing nodes</legend>
      {error ? <p className="text-xs text-red-700">{error}</p> : null}
      {!labels ? <p className="text-xs text-zinc-500">Add a label selector to see matching nodes.</p> : null}
      {labels && nodes && nodes.length === 0 ? (
        <p className="text-xs text-zinc-500">
          No existing node matches {labels}
          {instanceType ? ` with ${instanceType}` : ""}: new GPU nodes will be provisioned.
        </p>
      ) : null}
      {nodes?.map((n) => (
        <label key={n.name} className="flex items-center gap-2 text-xs">
          <input
            type="checkbox"
            checked={selected.includes(n.name)}
            onChange={(e) => toggle(n.name, e.target.checked)}
          />
          <span className="font-mono">{n.name}</span>
          <span className="text-zinc-500">
            {n.instanceType} · {n.gpus} GPU{n.gpus === 1 ? "" : "s"} {n.gpuProduct ?? ""} ·{" "}
            {n.ready ? "Ready" : "NotReady"}
          </span>
        </label>
      ))}
    </fieldset>
  );
}
