"use client";

import Link from "next/link";
import { useMemo, useState } from "react";

import { inlineControlClass as controlClass } from "@/components/ui/input";
import { formatTokensPerMinute } from "@/lib/kaito/performance";
import { isHuggingFaceId, type ModelPreset } from "@/lib/kaito/presets";
import type { MeasuredThroughput } from "@/server/workspaces/measured-throughput";

type Filters = { search: string; family: string; tuning: boolean; noToken: boolean; maxWeights: string };

function formatContext(tokens: number): string {
  return tokens >= 1024 ? `${Math.round(tokens / 1024)}K` : String(tokens);
}

/**
 * The model catalog: Kaito's presets with their figures, the throughput the post-load benchmark
 * measured on this cluster's Workspaces, and a free-form HuggingFace id.
 */
export function ModelCatalog({
  presets,
  measured,
  canWrite,
}: {
  presets: ModelPreset[];
  measured: Record<string, MeasuredThroughput>;
  canWrite: boolean;
}) {
  const [filters, setFilters] = useState<Filters>({
    search: "",
    family: "",
    tuning: false,
    noToken: false,
    maxWeights: "",
  });
  const [custom, setCustom] = useState("");
  const families = useMemo(() => [...new Set(presets.map((p) => p.family))].sort(), [presets]);
  const visible = presets.filter((p) => {
    const q = filters.search.trim().toLowerCase();
    return (
      (!q || p.name.includes(q) || p.huggingFaceId.toLowerCase().includes(q)) &&
      (!filters.family || p.family === filters.family) &&
      (!filters.tuning || p.tuning) &&
      (!filters.noToken || !p.needsHfToken) &&
      (!filters.maxWeights || p.weightsGiB <= Number(filters.maxWeights))
    );
  });
  const update = (patch: Partial<Filters>) => setFilters((f) => ({ ...f, ...patch }));

  return (
    <div className="flex flex-col gap-4">
      <div className="flex flex-wrap items-end gap-3">
        <input
          type="search"
          aria-label="Search models"
          placeholder="Search models…"
          className={`${controlClass} w-64`}
          value={filters.search}
          onChange={(e) => update({ search: e.target.value })}
        />
        <select
          aria-label="Family"
          className={`${controlClass} w-40`}
          value={filters.family}
          onChange={(e) => update({ family: e.target.value })}
        >
          <option value="">All families</option>
          {families.map((f) => (
            <option key={f}>{f}</option>
          ))}
        </select>
        <select
          aria-label="Largest weights"
          className={`${controlClass} w-48`}
          value={filters.maxWeights}
          onChange={(e) => update({ maxWeights: e.target.value })}
        >
          <option value="">Any size</option>
          <option value="16">Fits 16 GiB (V100, T4)</option>
          <option value="24">Fits 24 GiB (A10, L4)</option>
          <option value="80">Fits 80 GiB (A100)</option>
          <option value="640">Fits 640 GiB (8× H100)</option>
        </select>
        <label className="flex items-center gap-1.5 text-sm">
          <input type="checkbox" checked={filters.tuning} onChange={(e) => update({ tuning: e.target.checked })} />{" "}
          Tuning supported
        </label>
        <label className="flex items-center gap-1.5 text-sm">
          <input type="checkbox" checked={filters.noToken} onChange={(e) => update({ noToken: e.target.checked })} /> No
          HuggingFace token
        </label>
        <span className="text-sm text-zinc-500" data-testid="model-count">
          {visible.length} {visible.length === 1 ? "model" : "models"}
        </span>
      </div>

      <div className="overflow-x-auto rounded-lg border border-zinc-200 dark:border-zinc-800">
        <table className="w-full text-sm">
          <thead className="bg-zinc-50 text-left text-[11px] tracking-wide text-zinc-500 uppercase dark:bg-zinc-900">
            <tr>
              <th className="px-3 py-2">Preset</th>
              <th className="px-3 py-2">HuggingFace id</th>
              <th className="px-3 py-2 text-right">Weights</th>
              <th className="px-3 py-2 text-right">Context</th>
              <th className="px-3 py-2">Tuning</th>
              <th className="px-3 py-2">Multi-node</th>
              <th className="px-3 py-2">HF token</th>
              <th className="px-3 py-2 text-right">Measured throughput</th>
              <th className="px-3 py-2" />
            </tr>
          </thead>
          <tbody>
            {visible.map((p) => (
              <tr
                key={p.name}
                className="border-t border-zinc-100 dark:border-zinc-800"
                data-testid={`model-${p.name}`}
              >
                <td className="px-3 py-2 font-medium">{p.name}</td>
                <td className="px-3 py-2 font-mono text-xs text-zinc-600 dark:text-zinc-400">{p.huggingFaceId}</td>
                <td className="px-3 py-2 text-right tabular-nums">{p.weightsGiB} GiB</td>
                <td className="px-3 py-2 text-right tabular-nums">{formatContext(p.contextLength)}</td>
                <td className="px-3 py-2">{p.tuning ? "yes" : "–"}</td>
                <td className="px-3 py-2">{p.distributed ? "yes" : "–"}</td>
                <td className="px-3 py-2">
                  {p.needsHfToken ? <span className="text-amber-700 dark:text-amber-400">required</span> : "–"}
                </td>
                <td className="px-3 py-2 text-right tabular-nums" data-testid={`throughput-${p.name}`}>
                  {measured[p.name] ? (
                    <span
                      title={`Peak of the post-load benchmark on ${measured[p.name].instanceType}, best of ${measured[p.name].workspaces} Workspace(s)`}
                    >
                      {formatTokensPerMinute(measured[p.name].peakTokensPerMinute)}
                    </span>
                  ) : (
                    "–"
                  )}
                </td>
                <td className="px-3 py-2 text-right">
                  {canWrite ? (
                    <Link
                      href={`/workspaces/new?preset=${encodeURIComponent(p.name)}`}
                      className="rounded-md bg-blue-600 px-2.5 py-1 text-xs font-medium text-white hover:bg-blue-700"
                    >
                      Deploy
                    </Link>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <form
        className="flex flex-wrap items-end gap-2 rounded-lg border border-dashed border-zinc-300 p-3 dark:border-zinc-700"
        onSubmit={(e) => {
          e.preventDefault();
          if (isHuggingFaceId(custom) && canWrite)
            window.location.assign(`/workspaces/new?preset=${encodeURIComponent(custom)}`);
        }}
      >
        <label className="flex flex-col gap-1 text-sm">
          <span className="font-medium">Any HuggingFace model</span>
          <input
            className={`${controlClass} w-80 font-mono`}
            placeholder="org/model, e.g. Qwen/Qwen3-0.6B"
            value={custom}
            onChange={(e) => setCustom(e.target.value.trim())}
          />
        </label>
        <button
          type="submit"
          disabled={!isHuggingFaceId(custom) || !canWrite}
          className="rounded-md bg-blue-600 px-3 py-1.5 text-sm font-medium text-white disabled:opacity-40"
        >
          Deploy
        </button>
        <p className="w-full text-xs text-zinc-500">
          Served best effort with vLLM: its size is unknown, so the GPU memory check is skipped.
        </p>
      </form>
    </div>
  );
}
