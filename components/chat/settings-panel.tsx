"use client";

import { FormField, Input, controlClass } from "@/components/ui/input";

import type { SamplingSettings } from "./chat-types";

type NumberKey = "temperature" | "topP" | "maxTokens" | "presencePenalty" | "frequencyPenalty";

const NUMBER_FIELDS: { key: NumberKey; label: string; min: number; max: number; step: number }[] = [
  { key: "temperature", label: "Temperature", min: 0, max: 2, step: 0.1 },
  { key: "topP", label: "Top P", min: 0, max: 1, step: 0.05 },
  { key: "maxTokens", label: "Max tokens", min: 1, max: 32768, step: 1 },
  { key: "presencePenalty", label: "Presence penalty", min: -2, max: 2, step: 0.1 },
  { key: "frequencyPenalty", label: "Frequency penalty", min: -2, max: 2, step: 0.1 },
];

export function SettingsPanel({
  settings,
  onChange,
}: {
  settings: SamplingSettings;
  onChange: (s: SamplingSettings) => void;
}) {
  return (
    <section aria-label="Request settings" className="flex flex-col gap-3">
      <FormField id="system-prompt" label="System prompt">
        <textarea
          id="system-prompt"
          rows={4}
          className={controlClass}
          value={settings.systemPrompt}
          placeholder="You are a helpful assistant."
          onChange={(e) => onChange({ ...settings, systemPrompt: e.target.value })}
        />
      </FormField>
      {NUMBER_FIELDS.map((field) => {
        const value = settings[field.key];
        const invalid = !Number.isFinite(value) || value < field.min || value > field.max;
        return (
          <FormField
            key={field.key}
            id={`setting-${field.key}`}
            label={field.label}
            error={invalid ? `Between ${field.min} and ${field.max}` : undefined}
          >
            <Input
              id={`setting-${field.key}`}
              type="number"
              min={field.min}
              max={field.max}
              step={field.step}
              aria-invalid={invalid}
              value={Number.isFinite(value) ? value : ""}
              onChange={(e) =>
                onChange({ ...settings, [field.key]: e.target.value === "" ? NaN : Number(e.target.value) })
              }
            />
          </FormField>
        );
      })}
      <FormField id="setting-stop" label="Stop sequences (one per line)">
        <textarea
          id="setting-stop"
          rows={2}
          className={controlClass}
          value={settings.stop}
          onChange={(e) => onChange({ ...settings, stop: e.target.value })}
        />
      </FormField>
    </section>
  );
}

export function settingsAreValid(settings: SamplingSettings): boolean {
  return NUMBER_FIELDS.every(
    ({ key, min, max }) => Number.isFinite(settings[key]) && settings[key] >= min && settings[key] <= max,
  );
}
