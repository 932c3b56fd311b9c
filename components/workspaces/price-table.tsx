"use client";

import type { GpuSku } from "@/lib/kaito/gpu-skus";

/** The editable hourly price table behind the cost estimate; edits stay in this browser. */
export function PriceTable({
  skus,
  prices,
  overrides,
  onChange,
}: {
  skus: GpuSku[];
  prices: Record<string, number>;
  overrides: Record<string, number>;
  onChange: (instanceType: string, price: number | null) => void;
}) {
  return (
    <details className="text-xs">
      <summary className="cursor-pointer text-zinc-600 dark:text-zinc-400">Edit GPU prices (USD per hour)</summary>
      <div className="mt-2 max-h-64 overflow-y-auto rounded-md border border-zinc-200 dark:border-zinc-800">
        <table className="w-full">
          <tbody>
            {skus.map((s) => (
              <tr key={s.name} className="border-b border-zinc-100 dark:border-zinc-800">
                <td className="px-2 py-1 font-mono">{s.name}</td>
                <td className="px-2 py-1">
                  <input
                    type="number"
                    step="0.01"
                    min={0}
                    aria-label={`Price of ${s.name}`}
                    className="w-24 rounded border border-zinc-300 bg-white px-1 py-0.5 dark:border-zinc-700 dark:bg-zinc-900"
                    value={prices[s.name] ?? ""}
                    onChange={(e) => onChange(s.name, e.target.value === "" ? null : Number(e.target.value))}
                  />
                  {overrides[s.name] !== undefined ? (
                    <span className="ml-1 text-blue-700 dark:text-blue-400">edited</span>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
}
