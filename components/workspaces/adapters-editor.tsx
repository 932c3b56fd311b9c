"use client";

import { controlClass } from "@/components/ui/input";

export type AdapterRow = { name: string; image: string; strength: string };

/** LoRA adapters of an inference workspace (`inference.adapters`), at most 10. */
export function AdaptersEditor({
  adapters,
  onChange,
  errorsAt,
}: {
  adapters: AdapterRow[];
  onChange: (rows: AdapterRow[]) => void;
  errorsAt: (path: string) => string[];
}) {
  const update = (index: number, patch: Partial<AdapterRow>) =>
    onChange(adapters.map((a, i) => (i === index ? { ...a, ...patch } : a)));
  return (
    <fieldset className="flex flex-col gap-2">
      <legend className="mb-1 text-sm font-medium">Adapters</legend>
      {adapters.length === 0 ? (
        <p className="text-xs text-zinc-500">No LoRA adapters. Each one is served as an extra model id.</p>
      ) : null}
      {adapters.map((adapter, i) => (
        <div key={i} className="flex flex-col gap-1">
          <div className="grid grid-cols-[1fr_2fr_4.5rem_auto] gap-2">
            <input
              aria-label={`Adapter ${i + 1} name`}
              placeholder="name"
              className={controlClass}
              value={adapter.name}
              onChange={(e) => update(i, { name: e.target.value })}
            />
            <input
              aria-label={`Adapter ${i + 1} image`}
              placeholder="registry/image:tag"
              className={controlClass}
              value={adapter.image}
              onChange={(e) => update(i, { image: e.target.value })}
            />
            <input
              aria-label={`Adapter ${i + 1} strength`}
              placeholder="1.0"
              className={controlClass}
              value={adapter.strength}
              onChange={(e) => update(i, { strength: e.target.value })}
            />
            <button
              type="button"
              className="px-2 text-sm text-zinc-500 hover:text-red-600"
              aria-label={`Remove adapter ${i + 1}`}
              onClick={() => onChange(adapters.filter((_, j) => j !== i))}
            >
              ✕
            </button>
          </div>
          {errorsAt(`inference.adapters.${i}`).map((e) => (
            <p key={e} role="alert" className="text-xs text-red-700 dark:text-red-400">
              {e}
            </p>
          ))}
        </div>
      ))}
      {adapters.length < 10 ? (
        <button
          type="button"
          className="self-start text-sm text-blue-700 hover:underline dark:text-blue-400"
          onClick={() => onChange([...adapters, { name: "", image: "", strength: "1.0" }])}
        >
          + Add adapter
        </button>
      ) : null}
    </fieldset>
  );
}
