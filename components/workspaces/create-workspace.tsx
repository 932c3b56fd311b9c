"use client";

import dynamic from "next/dynamic";
import { useRouter } from "next/navigation";
import { useEffect, useMemo, useRef, useState, useTransition } from "react";

import type { EditorMarker } from "@/components/editor/yaml-editor";
import { lineOfPath, parseYamlWithPositions } from "@/lib/kaito/locate-yaml-path";
import { describeGpuFit } from "@/lib/kaito/gpu-fit";
import type { ActionResult } from "@/server/actions/action-result";
import type { BrowserCatalog } from "@/server/workspaces/catalog-for-browser";
import type { CreatedWorkspace } from "@/server/workspaces/create-workspace-from-yaml";

import { AdaptersEditor, type AdapterRow } from "./adapters-editor";
import { Field, inputClass } from "./field";
import { NodePicker } from "./node-picker";
import { PriceTable } from "./price-table";
import { useGpuPrices } from "./use-gpu-prices";
import { initialDraftYaml, readDraft, setDraftValue, type DraftObject, type DraftPath } from "./workspace-draft";

// Monaco is ≈5 MB: loaded on this page only, and never rendered on the server.
const YamlEditor = dynamic(() => import("@/components/editor/yaml-editor"), {
  ssr: false,
  loading: () => (
    <div className="h-[32rem] animate-pulse rounded-md bg-zinc-100 dark:bg-zinc-900" aria-label="Loading editor" />
  ),
});

type Issue = { path: string; line: number; message: string; severity: "error" | "warning" };
type SubmitError = { message: string; fieldErrors?: Record<string, string[]> };
type CreateAction = (input: unknown) => Promise<ActionResult<CreatedWorkspace>>;

const BYPASS = "kaito.sh/bypass-resource-checks";
const ENABLE_LB = "kaito.sh/enablelb";
const RUNTIME = "kaito.sh/runtime";
const HOURS_PER_MONTH = 730;

function parseLabels(text: string): Record<string, string> | null {
  const labels: Record<string, string> = {};
  for (const line of text
    .split(/[\n,]/)
    .map((l) => l.trim())
    .filter(Boolean)) {
    const match = /^([A-Za-z0-9][-A-Za-z0-9_./]*)=([-A-Za-z0-9_.]*)$/.exec(line);
    if (!match) return null;
    labels[match[1]] = match[2];
  }
  return labels;
}

const labelsText = (labels: Record<string, string> | undefined) =>
  Object.entries(labels ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join("\n");

export function CreateWorkspace({
  catalog,
  initialPreset,
  initialInstanceType,
  createAction,
}: {
  catalog: BrowserCatalog;
  initialPreset: string;
  initialInstanceType: string;
  createAction: CreateAction;
}) {
  const router = useRouter();
  const [yaml, setYaml] = useState(() => initialDraftYaml(initialPreset, initialInstanceType));
  const [issues, setIssues] = useState<Issue[]>([]);
  const [submitError, setSubmitError] = useState<SubmitError | null>(null);
  const [pending, startTransition] = useTransition();
  const [tab, setTab] = useState<"editor" | "kubectl">("editor");
  const lastGood = useRef<DraftObject>({});
  const { prices, overrides, setPrice } = useGpuPrices(catalog.defaultPrices);

  const { object, syntaxError } = useMemo(() => readDraft(yaml), [yaml]);
  if (object) lastGood.current = object;
  const draft = object ?? lastGood.current;

  // Live validation by the server (CRD schema + catalog rules), debounced while typing.
  useEffect(() => {
    if (yaml.length > 8000) return;
    const controller = new AbortController();
    const timer = setTimeout(() => {
      fetch(`/api/workspaces/validate?${new URLSearchParams({ yaml })}`, { signal: controller.signal })
        .then((r) => (r.ok ? r.json() : { issues: [] }))
        .then((body: { issues: Issue[] }) => setIssues(body.issues))
        .catch(() => {});
    }, 300);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [yaml]);

  const set = (path: DraftPath, value: unknown) => {
    setSubmitError(null);
    setYaml((current) => setDraftValue(current, path, value));
  };

  const submitIssues: Issue[] = useMemo(() => {
    if (!submitError?.fieldErrors) return [];
    const parsed = parseYamlWithPositions(yaml);
    return Object.entries(submitError.fieldErrors).flatMap(([path, messages]) =>
      messages.map((message) => {
        const fromLine = /^Line (\d+): /.exec(message);
        return {
          path: path === "_" ? "" : path,
          line: fromLine ? Number(fromLine[1]) : lineOfPath(parsed, path === "_" ? "" : path),
          message,
          severity: "error" as const,
        };
      }),
    );
    // Lines are placed when the result arrives; editing clears the result anyway.
  }, [submitError, yaml]);

  const allIssues = [...issues, ...submitIssues];
  const errorsAt = (path: string) =>
    allIssues
      .filter((i) => i.severity === "error" && (i.path === path || i.path.startsWith(`${path}.`)))
      .map((i) => i.message);
  const warningsAt = (path: string) =>
    allIssues.filter((i) => i.severity === "warning" && i.path === path).map((i) => i.message);
  const markers: EditorMarker[] = allIssues.map((i) => ({ line: i.line, message: i.message, severity: i.severity }));

  const presetName = draft.inference?.preset?.name ?? "";
  const preset = catalog.presets.find((p) => p.name === presetName);
  const instanceType = draft.resource?.instanceType ?? "";
  const sku = catalog.skus.find((s) => s.name === instanceType);
  const count = Number(draft.resource?.count ?? 1) || 1;
  const fit = describeGpuFit(preset, sku, count);
  const bypass = draft.metadata?.annotations?.[BYPASS] !== undefined;
  const hourly = prices[instanceType] !== undefined ? prices[instanceType] * count : undefined;
  const matchLabels = draft.resource?.labelSelector?.matchLabels ?? {};
  const [labelDraft, setLabelDraft] = useState(() => labelsText(matchLabels));
  const labelsValid = parseLabels(labelDraft) !== null;
  const labelsFromYaml = labelsText(matchLabels);
  useEffect(() => {
    // The editor changed the selector: show it, unless the textarea already says the same.
    setLabelDraft((current) =>
      labelsText(parseLabels(current) ?? undefined) === labelsFromYaml ? current : labelsFromYaml,
    );
  }, [labelsFromYaml]);
  const isCustomModel = presetName !== "" && !preset;

  const submit = () => {
    setSubmitError(null);
    startTransition(async () => {
      const result = await createAction({ yaml });
      if (result.ok) router.push(`/workspaces/${result.data.namespace}/${result.data.name}`);
      else setSubmitError({ message: result.error.message, fieldErrors: result.error.fieldErrors });
    });
  };

  const blocking = allIssues.filter((i) => i.severity === "error").length + (syntaxError ? 1 : 0);

  return (
    <div className="grid grid-cols-1 gap-6 xl:grid-cols-[minmax(0,26rem)_minmax(0,1fr)]">
      <form
        className="flex flex-col gap-4"
        aria-label="Workspace form"
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        {syntaxError ? (
          <p className="rounded-md bg-amber-50 p-2 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-200">
            The YAML has a syntax error, so the form shows the last valid version. Fix it in the editor: {syntaxError}
          </p>
        ) : null}
        <div className="grid grid-cols-2 gap-3">
          <Field label="Name" htmlFor="ws-name" errors={errorsAt("metadata.name")}>
            <input
              id="ws-name"
              className={inputClass}
              value={draft.metadata?.name ?? ""}
              aria-invalid={errorsAt("metadata.name").length > 0}
              onChange={(e) => set(["metadata", "name"], e.target.value)}
              autoComplete="off"
              required
            />
          </Field>
          <Field label="Namespace" htmlFor="ws-namespace" errors={errorsAt("metadata.namespace")}>
            <input
              id="ws-namespace"
              className={inputClass}
              value={draft.metadata?.namespace ?? ""}
              onChange={(e) => set(["metadata", "namespace"], e.target.value)}
              autoComplete="off"
            />
          </Field>
        </div>

        <Field
          label="Model"
          htmlFor="ws-model"
          errors={errorsAt("inference.preset.name").concat(errorsAt("inference"))}
          hint={
            preset
              ? `${preset.huggingFaceId} · weights ${preset.weightsGiB} GiB · context ${preset.contextLength.toLocaleString()} tokens`
              : isCustomModel
                ? (warningsAt("inference.preset.name")[0] ?? "A HuggingFace id, served best effort")
                : undefined
          }
        >
          <select
            id="ws-model"
            className={inputClass}
            value={isCustomModel ? "__custom" : presetName}
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
              className={inputClass}
              value={presetName}
              onChange={(e) => set(["inference", "preset", "name"], e.target.value)}
              placeholder="org/model"
            />
          ) : null}
        </Field>

        <Field label="Instance type" htmlFor="ws-instance" errors={errorsAt("resource.instanceType")}>
          <select
            id="ws-instance"
            className={inputClass}
            value={instanceType}
            onChange={(e) => set(["resource", "instanceType"], e.target.value)}
          >
            <option value="">Choose a GPU instance type…</option>
            {catalog.skus.map((s) => {
              const verdict = describeGpuFit(preset, s, count);
              return (
                <option key={s.name} value={s.name}>
                  {verdict.kind === "too-small" ? "✗ " : verdict.kind === "fits" ? "✓ " : ""}
                  {s.name} — {s.gpuCount}× {s.gpuModel}, {s.totalGpuMemoryGiB} GiB
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
              ? `Estimated cost: $${hourly.toFixed(2)}/hour · ≈ $${Math.round(hourly * HOURS_PER_MONTH).toLocaleString()}/month`
              : "No price known for this instance type — add one in the price table."}
          </p>
          <PriceTable skus={catalog.skus} prices={prices} overrides={overrides} onChange={setPrice} />
        </Field>

        <div className="grid grid-cols-2 gap-3">
          <Field
            label="Nodes"
            htmlFor="ws-count"
            errors={errorsAt("resource.count")}
            hint="resource.count; more than one spreads the model over several nodes"
          >
            <input
              id="ws-count"
              type="number"
              min={1}
              max={16}
              className={inputClass}
              value={draft.resource?.count ?? 1}
              onChange={(e) =>
                set(
                  ["resource", "count"],
                  e.target.value === "" || e.target.value === "1" ? undefined : Number(e.target.value),
                )
              }
            />
          </Field>
          <Field label="Runtime" htmlFor="ws-runtime">
            <select
              id="ws-runtime"
              className={inputClass}
              value={draft.metadata?.annotations?.[RUNTIME] ?? "vllm"}
              onChange={(e) =>
                set(["metadata", "annotations", RUNTIME], e.target.value === "vllm" ? undefined : e.target.value)
              }
            >
              <option value="vllm">vLLM (default)</option>
              <option value="transformers">transformers</option>
            </select>
          </Field>
        </div>

        <Field
          label="Node label selector"
          htmlFor="ws-labels"
          errors={errorsAt("resource.labelSelector")}
          hint={
            labelsValid
              ? "One key=value per line. New nodes get these labels; existing nodes with them are reused."
              : "Write each label as key=value"
          }
        >
          <textarea
            id="ws-labels"
            rows={2}
            className={`${inputClass} font-mono`}
            value={labelDraft}
            aria-invalid={!labelsValid}
            onChange={(e) => {
              setLabelDraft(e.target.value);
              const parsed = parseLabels(e.target.value);
              if (parsed) set(["resource", "labelSelector", "matchLabels"], parsed);
            }}
          />
        </Field>

        <NodePicker
          matchLabels={matchLabels}
          instanceType={instanceType}
          selected={draft.resource?.preferredNodes ?? []}
          onChange={(nodes) => set(["resource", "preferredNodes"], nodes)}
        />

        <div className="grid grid-cols-2 gap-3">
          <Field
            label="HuggingFace token secret"
            htmlFor="ws-hf-secret"
            errors={errorsAt("inference.preset.presetOptions.modelAccessSecret")}
            hint={
              preset?.needsHfToken
                ? "Required: this model is gated. Secret key HF_TOKEN."
                : "Secret with key HF_TOKEN, for gated models"
            }
          >
            <input
              id="ws-hf-secret"
              className={inputClass}
              value={draft.inference?.preset?.presetOptions?.modelAccessSecret ?? ""}
              onChange={(e) => set(["inference", "preset", "presetOptions", "modelAccessSecret"], e.target.value)}
            />
          </Field>
          <Field
            label="Inference config ConfigMap"
            htmlFor="ws-config"
            errors={errorsAt("inference.config")}
            hint="Key inference_config.yaml"
          >
            <input
              id="ws-config"
              className={inputClass}
              value={draft.inference?.config ?? ""}
              onChange={(e) => set(["inference", "config"], e.target.value)}
            />
          </Field>
        </div>

        <AdaptersEditor
          adapters={(draft.inference?.adapters ?? []).map((a) => ({
            name: a.source?.name ?? "",
            image: a.source?.image ?? "",
            strength: a.strength ?? "",
          }))}
          errorsAt={errorsAt}
          onChange={(rows: AdapterRow[]) =>
            set(
              ["inference", "adapters"],
              rows.map((r) => ({
                source: { name: r.name, ...(r.image ? { image: r.image } : {}) },
                ...(r.strength ? { strength: r.strength } : {}),
              })),
            )
          }
        />

        <fieldset className="flex flex-col gap-1.5 text-sm">
          <legend className="mb-1 font-medium">Annotations</legend>
          <label className="flex items-center gap-2">
            <input
              type="checkbox"
              checked={bypass}
              onChange={(e) => set(["metadata", "annotations", BYPASS], e.target.checked ? "true" : undefined)}
            />
            <span>
              Skip the GPU memory check <code className="text-xs">{BYPASS}</code>
            </span>
          </label>
          <label className="flex items-center gap-2">
            <input
              type="checkbox"
              checked={draft.metadata?.annotations?.[ENABLE_LB] === "True"}
              onChange={(e) => set(["metadata", "annotations", ENABLE_LB], e.target.checked ? "True" : undefined)}
            />
            <span>
              Expose through a LoadBalancer <code className="text-xs">{ENABLE_LB}</code>
            </span>
          </label>
        </fieldset>
      </form>

      <div className="flex min-w-0 flex-col gap-3">
        <div role="tablist" className="flex gap-1 border-b border-zinc-200 dark:border-zinc-800">
          {(["editor", "kubectl"] as const).map((t) => (
            <button
              key={t}
              type="button"
              role="tab"
              aria-selected={tab === t}
              onClick={() => setTab(t)}
              className={`-mb-px border-b-2 px-3 py-1.5 text-sm ${tab === t ? "border-blue-600 font-medium" : "border-transparent text-zinc-500"}`}
            >
              {t === "editor" ? "YAML" : "kubectl apply"}
            </button>
          ))}
        </div>
        {tab === "editor" ? (
          <YamlEditor value={yaml} onChange={(v) => (setSubmitError(null), setYaml(v))} markers={markers} />
        ) : (
          <pre className="overflow-auto rounded-md bg-zinc-950 p-3 text-xs text-zinc-100" data-testid="kubectl-apply">
            {`kubectl apply -f - <<'EOF'\n${yaml}EOF`}
          </pre>
        )}
        <ul className="flex flex-col gap-1 text-sm" aria-label="Problems" data-testid="problems">
          {syntaxError ? <li className="text-red-700 dark:text-red-400">YAML syntax: {syntaxError}</li> : null}
          {allIssues.map((i, n) => (
            <li
              key={`${n}-${i.path}-${i.message}`}
              className={
                i.severity === "error" ? "text-red-700 dark:text-red-400" : "text-amber-700 dark:text-amber-400"
              }
            >
              Line {i.line}
              {i.path ? ` (${i.path})` : ""}: {i.message}
            </li>
          ))}
        </ul>
        {submitError ? (
          <p
            role="alert"
            className="rounded-md bg-red-50 p-2 text-sm text-red-900 dark:bg-red-950 dark:text-red-200"
            data-testid="submit-error"
          >
            {submitError.message}
          </p>
        ) : null}
        <div className="flex items-center gap-3">
          <button
            type="button"
            onClick={submit}
            disabled={pending}
            className="rounded-md bg-blue-600 px-4 py-2 text-sm font-medium whitespace-nowrap text-white hover:bg-blue-700 disabled:opacity-50"
          >
            {pending ? "Creating…" : "Create workspace"}
          </button>
          <span className="text-xs text-zinc-500">
            {blocking > 0
              ? `${blocking} problem${blocking > 1 ? "s" : ""} to fix first`
              : "Checked against the CRD schema and the GPU catalog; the cluster dry-runs it before creating."}
          </span>
        </div>
      </div>
    </div>
  );
}
