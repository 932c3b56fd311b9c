"use client";

import { useSyncExternalStore } from "react";

import { currentColorScheme, onColorSchemeChange, type ColorScheme } from "./theme";

/** The scheme the page shows, for what CSS cannot theme (Monaco, charts drawn in canvas). */
export function useColorScheme(): ColorScheme {
  return useSyncExternalStore(onColorSchemeChange, currentColorScheme, () => "light");
}
