"use client";

import { useState } from "react";

import { applyThemePreference, type ThemePreference } from "./theme";

const OPTIONS: { value: ThemePreference; label: string }[] = [
  { value: "system", label: "System" },
  { value: "light", label: "Light" },
  { value: "dark", label: "Dark" },
];

/** System / Light / Dark as one radio group: Tab reaches it, the arrow keys choose. */
export function ThemeSwitch({ initial }: { initial: ThemePreference }) {
  const [preference, setPreference] = useState(initial);
  return (
    <fieldset className="flex flex-col gap-1 px-1">
      <legend className="mb-1 text-xs text-zinc-600 dark:text-zinc-400">Theme</legend>
      <div className="flex rounded-md border border-zinc-300 bg-zinc-100 p-0.5 dark:border-zinc-700 dark:bg-zinc-900">
        {OPTIONS.map((option) => (
          <label
            key={option.value}
            className="flex-1 cursor-pointer rounded px-2 py-1 text-center text-xs text-zinc-700 has-checked:bg-white has-checked:font-medium has-checked:text-zinc-900 has-checked:shadow-sm has-focus-visible:outline-2 has-focus-visible:outline-blue-600 dark:text-zinc-300 dark:has-checked:bg-zinc-700 dark:has-checked:text-zinc-50"
          >
            <input
              type="radio"
              name="theme"
              value={option.value}
              checked={preference === option.value}
              onChange={() => {
                setPreference(option.value);
                applyThemePreference(option.value);
              }}
              className="sr-only"
            />
            {option.label}
          </label>
        ))}
      </div>
    </fieldset>
  );
}
