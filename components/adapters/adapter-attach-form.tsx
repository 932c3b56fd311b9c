"use client";

import { useState } from "react";

import { Button } from "@/components/ui/button";
import { controlClass } from "@/components/ui/input";
import type { BaseModelMatch } from "@/server/adapters/base-model-compatibility";
import type { AttachableWorkspace } from "@/server/adapters/list-attachable-workspaces";

export type AttachCandidate = AttachableWorkspace & { match: BaseModelMatch };
export type AttachRequest = { namespace: string; workspace: string; strength: number; override?: string };

const MISMATCH: Record<Exclude<BaseModelMatch, "same">, string> = {
  "same-family": "a sibling of its base model",
  different: "another model",
  unknown: "a custom model",
};

const keyOf = (w: { namespace: string; name: string }) => `${w.namespace}/${w.name}`;

function optionLabel(w: AttachCandidate): string {
  const adapters = `${w.adapterCount} ${w.adapterCount === 1 ? "adapter" : "adapters"}`;
  return `${keyOf(w)} (${w.preset ?? "custom"}, ${adapters})`;
}

type Props = {
  adapter: string;
  baseModel: string;
  workspaces: AttachCandidate[];
  pending: boolean;
  onAttach(request: AttachRequest): void;
};

/**
 * The attach picker, grouped by what will happen: Workspaces serving the adapter's base model
 * (ready first), and — only on request — the others, which take a typed confirmation because a
 * LoRA adapter on another base model fails to load or quietly degrades the answers (#16).
 */
export function AdapterAttachForm({ adapter, baseModel, workspaces, pending, onAttach }: Props) {
  const ready = workspaces.filter((w) => w.match === "same" && w.ready);
  const notReady = workspaces.filter((w) => w.match === "same" && !w.ready);
  const others = workspaces.filter((w) => w.match !== "same");
  const [showOthers, setShowOthers] = useState(false);
  const first = ready[0] ?? notReady[0];
  const [target, setTarget] = useState(first ? keyOf(first) : "");
  const [strength, setStrength] = useState(1);
  const [typed, setTyped] = useState("");

  const chosen = workspaces.find((w) => keyOf(w) === target);
  const mismatch = chosen && chosen.match !== "same" ? chosen : null;
  const confirmed = !mismatch || typed === mismatch.name;

  return (
    <div className="flex flex-col gap-3">
      <div className="flex flex-wrap items-end gap-4">
        <label className="flex flex-col gap-1 text-sm">
          Workspace
          <select
            className={controlClass}
            value={target}
            onChange={(e) => {
              setTarget(e.target.value);
              setTyped("");
            }}
            aria-label="Workspace"
          >
            {ready.length + notReady.length === 0 ? <option value="">No Workspace serves {baseModel}</option> : null}
            {ready.length ? (
              <optgroup label={`Ready · serves ${baseModel}`}>
                {ready.map((w) => (
                  <option key={keyOf(w)} value={keyOf(w)}>
                    {optionLabel(w)}
                  </option>
                ))}
              </optgroup>
            ) : null}
            {notReady.length ? (
              <optgroup label={`Not ready yet · serves ${baseModel}`}>
                {notReady.map((w) => (
                  <option key={keyOf(w)} value={keyOf(w)}>
                    {optionLabel(w)}
                  </option>
                ))}
              </optgroup>
            ) : null}
            {showOthers && others.length ? (
              <optgroup label="Another base model · needs your typed confirmation">
                {others.map((w) => (
                  <option key={keyOf(w)} value={keyOf(w)}>
                    {optionLabel(w)} — {MISMATCH[w.match as Exclude<BaseModelMatch, "same">]}
                  </option>
                ))}
              </optgroup>
            ) : null}
          </select>
        </label>
        <label className="flex flex-col gap-1 text-sm">
          Strength {strength.toFixed(2)}
          <input
            type="range"
            min={0}
            max={1}
            step={0.05}
            value={strength}
            onChange={(e) => setStrength(Number(e.target.value))}
            aria-label="Strength"
          />
        </label>
        <Button
          disabled={pending || !chosen || !confirmed}
          onClick={() =>
            chosen &&
            onAttach({
              namespace: chosen.namespace,
              workspace: chosen.name,
              strength,
              ...(mismatch ? { override: typed } : {}),
            })
          }
        >
          Attach
        </Button>
      </div>
      {others.length ? (
        <label className="flex items-center gap-2 text-sm text-zinc-700 dark:text-zinc-300">
          <input
            type="checkbox"
            checked={showOthers}
            onChange={(e) => {
              setShowOthers(e.target.checked);
              if (!e.target.checked && mismatch) setTarget(first ? keyOf(first) : "");
            }}
          />
          Also list the ones serving another base model ({others.length})
        </label>
      ) : null}
      {mismatch ? (
        <div
          role="alert"
          data-testid="base-model-mismatch"
          className="flex flex-col gap-2 rounded-md border border-amber-400 bg-amber-50 p-3 text-sm text-amber-950 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-100"
        >
          <p>
            <strong>{adapter}</strong> was trained on <code>{baseModel}</code>, but {keyOf(mismatch)} serves{" "}
            {mismatch.preset ? <code>{mismatch.preset}</code> : "a custom model whose base cannot be checked"}. A LoRA
            adapter on another base model fails to load or quietly degrades the answers. The override is recorded in the
            audit log.
          </p>
          <label className="flex flex-col gap-1">
            Type {mismatch.name} to attach it anyway
            <input
              className={controlClass}
              value={typed}
              onChange={(e) => setTyped(e.target.value)}
              autoComplete="off"
              spellCheck={false}
            />
          </label>
        </div>
      ) : null}
    </div>
  );
}
