"use client";

import { InputField } from "@/components/ui/input";
import { ANNOTATION_BYPASS_RESOURCE_CHECKS as BYPASS, ANNOTATION_ENABLE_LB as ENABLE_LB } from "@/lib/kaito/labels";
import type { BrowserCatalog } from "@/server/workspaces/catalog-for-browser";

import { AdaptersEditor, type AdapterRow } from "./adapters-editor";
import type { DraftSectionProps } from "./use-draft-yaml";

/** The model's access secret and config, its LoRA adapters, and the annotations the form knows. */
export function WorkspaceOptionsFields({
  draft,
  set,
  issues,
  lockedReason,
  catalog,
}: DraftSectionProps & { catalog: BrowserCatalog }) {
  const secretLocked = lockedReason?.("inference.preset.presetOptions.modelAccessSecret");
  const preset = catalog.presets.find((p) => p.name === draft.inference?.preset?.name);
  return (
    <>
      <div className="grid grid-cols-2 gap-3">
        <InputField
          id="ws-hf-secret"
          label="HuggingFace token secret"
          errors={issues.errorsAt("inference.preset.presetOptions.modelAccessSecret")}
          hint={
            secretLocked
              ? `Cannot change: ${secretLocked}`
              : preset?.needsHfToken
                ? "Required: this model is gated. Secret key HF_TOKEN."
                : "Secret with key HF_TOKEN, for gated models"
          }
          value={draft.inference?.preset?.presetOptions?.modelAccessSecret ?? ""}
          readOnly={Boolean(secretLocked)}
          onChange={(e) => set(["inference", "preset", "presetOptions", "modelAccessSecret"], e.target.value)}
        />
        <InputField
          id="ws-config"
          label="Inference config ConfigMap"
          errors={issues.errorsAt("inference.config")}
          hint="Key inference_config.yaml"
          value={draft.inference?.config ?? ""}
          onChange={(e) => set(["inference", "config"], e.target.value)}
        />
      </div>

      <AdaptersEditor
        adapters={(draft.inference?.adapters ?? []).map((a) => ({
          name: a.source?.name ?? "",
          image: a.source?.image ?? "",
          strength: a.strength ?? "",
        }))}
        errorsAt={issues.errorsAt}
        baseModel={draft.inference?.preset?.name}
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
            checked={draft.metadata?.annotations?.[BYPASS] !== undefined}
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
    </>
  );
}
