"use client";

import { Field } from "@/components/ui/field";
import { controlClass } from "@/components/ui/input";
import { describeGpuFit } from "@/lib/kaito/gpu-fit";
import { ANNOTATION_BYPASS_RESOURCE_CHECKS as BYPASS } from "@/lib/kaito/labels";
import type { BrowserCatalog } from "@/server/workspaces/catalog-for-browser";

import { PriceTable } from "./price-table";
import { useGpuPrices } from "./use-gpu-prices";
import type { DraftSectionProps } from "./use-draft-yaml";

const HOURS_PER_MONTH = 730;

/** The model (a preset or a HuggingFace id) and the GPU instance type, with the fit and the cost. */
export function WorkspaceModelFields({
  draft,
  set,
  issues,
  lockedReason,
  catalog,
  replicas = 1,
}: DraftSectionProps & {
  catalog: BrowserCatalog;
  /** An InferenceSet's replica count: each replica costs what one Workspace does. */
  replicas?: number;
}) {
  const modelLocked = lockedReason?.("inference.preset.name");
  const instanceLocked = lockedReason?.("resource.instanceType");
  const { prices, overrides, setPrice } = useGpuPrices(catalog.defaultPrices);
  const presetName = draft.inference?.preset?.name ?? "";
  const preset = catalog.presets.find((p) => p.name === presetName);
  const isCustomModel = presetName !== "" && !preset;
  const instanceType = draft.resource?.instanceType ?? "";
  const sku = catalog.skus.find((s) => s.name === instanceType);
  const count = Number(draft.resource?.count ?? 1) || 1;
  const fit = describeGpuFit(preset, sku, count);
  const bypass = draft.metadata?.annotations?.[BYPASS] !== undefined;
  const hourly = prices[instanceType] !== undefined ? prices[instanceType] * count * replicas : undefined;

  return (
    <>
      <Field
        label="Model"
        htmlFor="ws-model"
        errors={[...issues.errorsAt("inference"), ...issues.errorsAt("inference.preset.name")]}
        hint={
          modelLocked
            ? `Cannot change: ${modelLocked}`
            : preset
              ? `${preset.huggingFaceId} · weights ${preset.weightsGiB} GiB · context ${preset.contextLength.toLocaleString()} tokens`
              : isCustomModel
                ? (issues.warningsAt("inference.preset.name")[0] ?? "A HuggingFace id, served best effort")
                : undefined
        }
      >
        <select
          id="ws-model"
          className={controlClass}
          value={isCustomModel ? "__custom" : presetName}
          disabled={Boolean(modelLocked)}
          onChange={(e) =>
            set(["inference", "preset", "name"], e.target.value === "__custom" ? "org/model" : e.target.value)
          }
        >
          <option value="">Choose a model…</option>
          {catalog.presets.map((p) => (
            <option key={p.name} value={p.name}>
              {p.name}
            </option>
          ))}
          <option value="__custom">Other HuggingFace model (org/model)…</option>
        </select>
        {isCustomModel ? (
          <input
            aria-label="HuggingFace model id"
            className={controlClass}
            readOnly={Boolean(modelLocked)}
            value={presetName}
            onChange={(e) => set(["inference", "preset", "name"], e.target.value)}
            placeholder="org/model"
          />
        ) : null}
      </Field>

      <Field
        label="Instance type"
        htmlFor="ws-instance"
        errors={issues.errorsAt("resource.instanceType")}
        hint={
          instanceLocked
            ? `Cannot change: ${instanceLocked}`
            : sku?.deprecatedUpstream
              ? `Deprecated upstream: Kaito v0.12 refuses ${sku.name} ("Unsupported SKU"); this dashboard still runs it`
              : undefined
        }
      >
        <select
          id="ws-instance"
          className={controlClass}
          value={instanceType}
          disabled={Boolean(instanceLocked)}
          onChange={(e) => set(["resource", "instanceType"], e.target.value)}
        >
          <option value="">Choose a GPU instance type…</option>
          {catalog.skus.map((s) => {
            const verdict = describeGpuFit(preset, s, count);
            return (
              <option key={s.name} value={s.name}>
                {verdict.kind === "too-small" ? "✗ " : verdict.kind === "fits" ? "✓ " : ""}
                {s.name} — {s.gpuCount}× {s.gpuModel}, {s.totalGpuMemoryGiB} GiB
                {s.deprecatedUpstream ? " (deprecated upstream)" : ""}
              </option>
            );
          })}
        </select>
        <div
          data-testid="gpu-fit"
          data-fit={fit.kind}
          className={`rounded-md px-2.5 py-1.5 text-xs ${
            fit.kind === "fits"
              ? "bg-emerald-50 text-emerald-900 dark:bg-emerald-950 dark:text-emerald-200"
              : fit.kind === "too-small"
                ? "bg-red-50 text-red-900 dark:bg-red-950 dark:text-red-200"
                : "bg-zinc-100 text-zinc-700 dark:bg-zinc-900 dark:text-zinc-300"
          }`}
        >
          <strong>
            {fit.kind === "fits"
              ? "Fits"
              : fit.kind === "too-small"
                ? bypass
                  ? "Too small (check bypassed)"
                  : "Does not fit"
                : "Not checked"}
          </strong>{" "}
          · {fit.summary}
          <br />
          {fit.reason}
        </div>
        <p className="text-xs text-zinc-600 dark:text-zinc-400" data-testid="cost-estimate">
          {hourly !== undefined
            ? `Estimated cost: $${hourly.toFixed(2)}/hour · ≈ $${Math.round(hourly * HOURS_PER_MONTH).toLocaleString()}/month${replicas !== 1 ? ` for ${replicas} replicas` : ""}`
            : "No price known for this instance type — add one in the price table."}
        </p>
        <PriceTable skus={catalog.skus} prices={prices} overrides={overrides} onChange={setPrice} />
      </Field>
    </>
  );
}
