"use client";

import { useState, type FormEvent } from "react";

import { Button } from "@/components/ui/button";
import { useToast } from "@/components/ui/toast";

import type { InferenceSettings, SettingsActions } from "./types";

/** Admin-only: whether the inference proxy keeps prompts and answers with each usage row. */
export function InferenceSettingsForm({
  initial,
  action,
}: {
  initial: InferenceSettings;
  action: SettingsActions["updateInferenceSettingsAction"];
}) {
  const toast = useToast();
  const [saved, setSaved] = useState(initial);
  const [recordContent, setRecordContent] = useState(initial.recordContent);
  const [busy, setBusy] = useState(false);
  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setBusy(true);
    const result = await action({ recordContent });
    setBusy(false);
    if (!result.ok) return toast(result.error.message, "error");
    setSaved(result.data);
    toast(
      result.data.recordContent ? "Prompts and answers will be stored" : "Prompts and answers will not be stored",
      "success",
    );
  };
  return (
    <form onSubmit={onSubmit} className="flex max-w-xl flex-col gap-3" aria-label="Inference settings">
      <label className="flex items-start gap-2">
        <input
          type="checkbox"
          className="mt-1"
          checked={recordContent}
          onChange={(event) => setRecordContent(event.target.checked)}
        />
        <span>
          Store prompts and answers of inference requests
          <span className="block text-sm text-neutral-500">
            Off by default: usage rows then hold only token counts and timings. When on, the text of every request
            through the inference proxy (playground, API tokens) is kept with its usage row, up to 100,000 characters
            each. Takes effect for requests starting within 5 seconds.
          </span>
        </span>
      </label>
      <div>
        <Button type="submit" disabled={busy || recordContent === saved.recordContent}>
          Save
        </Button>
      </div>
    </form>
  );
}
