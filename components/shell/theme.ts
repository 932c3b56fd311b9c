// The colour theme: the OS setting (the default) or a choice the user made, kept in a cookie so
// that the server renders the first paint in it (no flash of the other theme, no inline script
// for the content security policy to allow). app/globals.css turns data-theme into Tailwind's
// `dark:` variant.
export const THEME_COOKIE = "kd-theme";
export const THEME_PREFERENCES = ["system", "light", "dark"] as const;
export type ThemePreference = (typeof THEME_PREFERENCES)[number];
export type ColorScheme = "light" | "dark";

export function parseThemePreference(value: string | undefined): ThemePreference {
  return THEME_PREFERENCES.find((p) => p === value) ?? "system";
}

const DARK_QUERY = "(prefers-color-scheme: dark)";

/** The scheme the page shows now: the user's choice, else the OS's. Browser only. */
export function currentColorScheme(): ColorScheme {
  const preference = parseThemePreference(document.documentElement.dataset.theme);
  if (preference !== "system") return preference;
  return window.matchMedia(DARK_QUERY).matches ? "dark" : "light";
}

/** Calls back whenever the shown scheme may have changed: a choice in the switch or the OS's. */
export function onColorSchemeChange(callback: () => void): () => void {
  const media = window.matchMedia(DARK_QUERY);
  media.addEventListener("change", callback);
  const observer = new MutationObserver(callback);
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ["data-theme"] });
  return () => {
    media.removeEventListener("change", callback);
    observer.disconnect();
  };
}

/** Shows `preference` now and remembers it for a year in this browser. */
export function applyThemePreference(preference: ThemePreference): void {
  document.documentElement.dataset.theme = preference;
  document.cookie = `${THEME_COOKIE}=${preference}; Path=/; Max-Age=31536000; SameSite=Lax`;
}
