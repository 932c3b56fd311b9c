/** The sidebar, in order. One list so that every page's link lives in one place. */
export const NAV_ITEMS = [
  { href: "/workspaces", label: "Workspaces" },
  { href: "/models", label: "Models" },
  { href: "/playground", label: "Playground" },
  { href: "/fleet", label: "Fleet" },
  { href: "/adapters", label: "Adapters" },
  { href: "/audit", label: "Audit log" },
  { href: "/settings", label: "Settings" },
] as const;
