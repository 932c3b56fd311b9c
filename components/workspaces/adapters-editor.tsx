"use client";

import { useEffect, useId, useState } from "react";

import { controlClass } from "@/components/ui/input";

export type AdapterRow = { name: string; image: string; strength: string };
type UploadedAdapter = { name: string; image: string; baseModel: string };

const ANOTHER_IMAGE = "__image";

/** The adapters uploaded to the dashboard's registry, to pick from; none when they cannot be listed. */
function useUploadedAdapters(): UploadedAdapter[] {
  const [adapters, setAdapters] = useState<UploadedAdapter[]>([]);
  useEffect(() => {
    const controller = new AbortController();
    fetch("/api/adapters", { signal: controller.signal })
      .then((r) => (r.ok ? r.json() : { adapters: [] }))
      .then((body: { adapters: UploadedAdapter[] }) => setAdapters(body.adapters ?? []))
      .catch(() => {});
    return () => controller.abort();
  }, []);
  return adapters;
}

function AdapterRowFields({
  index,
  row,
  uploaded,
  baseModel,
  errors,
  onChange,
  onRemove,
}: {
  index: number;
  row: AdapterRow;
  uploaded: UploadedAdapter[];
  baseModel?: string;
  errors: string[];
  onChange: (patch: Partial<AdapterRow>) => void;
  onRemove: () => void;
}) {
  const id = useId();
  const legend = `${id}-legend`;
  const chosen = uploaded.find((a) => a.name === row.name && a.image === row.image);
  const matching = uploaded.filter((a) => a.baseModel === baseModel);
  const others = uploaded.filter((a) => a.baseModel !== baseModel);
  const option = (a: UploadedAdapter) => (
    <option key={a.name} value={a.name}>
      {a.name} ({a.baseModel})
    </option>
  );
  // Each control is named "Adapter N <label>" for screen readers, from the legend and its visible label.
  const field = (key: string, label: string) => ({
    id: `${id}-${key}`,
    labelProps: {
      htmlFor: `${id}-${key}`,
      id: `${id}-${key}-label`,
      className: "text-xs text-zinc-600 dark:text-zinc-400",
    },
    label,
    labelledBy: `${legend} ${id}-${key}-label`,
  });
  const source = field("source", "Source");
  const name = field("name", "Name");
  const image = field("image", "Image");
  const strength = field("strength", "Strength");

  return (
    <fieldset
      aria-labelledby={legend}
      className="flex flex-col gap-2 rounded-md border border-zinc-200 p-3 dark:border-zinc-800"
    >
      <div className="flex items-center justify-between">
        <span id={legend} className="text-sm font-medium">
          Adapter {index + 1}
        </span>
        <button
          type="button"
          className="text-sm text-zinc-600 hover:text-red-700 dark:text-zinc-400"
          aria-label={`Remove adapter ${index + 1}`}
          onClick={onRemove}
        >
          Remove
        </button>
      </div>
      <div className="grid grid-cols-[1fr_6rem] gap-2">
        <div className="flex flex-col gap-1">
          <label {...source.labelProps}>{source.label}</label>
          <select
            id={source.id}
            aria-labelledby={source.labelledBy}
            className={controlClass}
            value={chosen ? chosen.name : ANOTHER_IMAGE}
            onChange={(e) => {
              const picked = uploaded.find((a) => a.name === e.target.value);
              onChange(picked ? { name: picked.name, image: picked.image } : { name: "", image: "" });
            }}
          >
            {matching.length > 0 ? <optgroup label={`Made for ${baseModel}`}>{matching.map(option)}</optgroup> : null}
            {others.length > 0 ? (
              <optgroup label={matching.length > 0 || baseModel ? "Other base models" : "Uploaded adapters"}>
                {others.map(option)}
              </optgroup>
            ) : null}
            <option value={ANOTHER_IMAGE}>Another image…</option>
          </select>
        </div>
        <div className="flex flex-col gap-1">
          <label {...strength.labelProps}>{strength.label}</label>
          <input
            id={strength.id}
            aria-labelledby={strength.labelledBy}
            type="number"
            min={0}
            max={1}
            step={0.05}
            placeholder="1.0"
            className={controlClass}
            value={row.strength}
            onChange={(e) => onChange({ strength: e.target.value })}
          />
        </div>
      </div>
      {chosen ? (
        <p className="text-xs break-all text-zinc-600 dark:text-zinc-400">{chosen.image}</p>
      ) : (
        <div className="grid grid-cols-[1fr_2fr] gap-2">
          <div className="flex flex-col gap-1">
            <label {...name.labelProps}>{name.label}</label>
            <input
              id={name.id}
              aria-labelledby={name.labelledBy}
              placeholder="support-bot"
              className={controlClass}
              value={row.name}
              onChange={(e) => onChange({ name: e.target.value })}
            />
          </div>
          <div className="flex flex-col gap-1">
            <label {...image.labelProps}>{image.label}</label>
            <input
              id={image.id}
              aria-labelledby={image.labelledBy}
              placeholder="registry/image:tag"
              className={controlClass}
              value={row.image}
              onChange={(e) => onChange({ image: e.target.value })}
            />
          </div>
        </div>
      )}
      {errors.map((e) => (
        <p key={e} role="alert" className="text-xs text-red-700 dark:text-red-400">
          {e}
        </p>
      ))}
    </fieldset>
  );
}

/**
 * LoRA adapters of an inference workspace (`inference.adapters`), at most 10: each picked from the
 * adapters uploaded here (those made for the workspace's model first), or any image by reference.
 */
export function AdaptersEditor({
  adapters,
  onChange,
  errorsAt,
  baseModel,
}: {
  adapters: AdapterRow[];
  onChange: (rows: AdapterRow[]) => void;
  errorsAt: (path: string) => string[];
  /** The workspace's preset, to list the adapters made for it first. */
  baseModel?: string;
}) {
  const uploaded = useUploadedAdapters();
  const update = (index: number, patch: Partial<AdapterRow>) =>
    onChange(adapters.map((a, i) => (i === index ? { ...a, ...patch } : a)));
  return (
    <fieldset className="flex flex-col gap-2">
      <legend className="mb-1 text-sm font-medium">Adapters</legend>
      {adapters.length === 0 ? (
        <p className="text-xs text-zinc-600 dark:text-zinc-400">
          No LoRA adapters. Each one is served as an extra model id.
        </p>
      ) : null}
      {adapters.map((adapter, i) => (
        <AdapterRowFields
          key={i}
          index={i}
          row={adapter}
          uploaded={uploaded}
          baseModel={baseModel}
          errors={errorsAt(`inference.adapters.${i}`)}
          onChange={(patch) => update(i, patch)}
          onRemove={() => onChange(adapters.filter((_, j) => j !== i))}
        />
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
