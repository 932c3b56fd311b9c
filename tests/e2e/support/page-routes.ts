import { readdirSync } from "node:fs";
import path from "node:path";

const APP = path.resolve(import.meta.dirname, "../../../app");

/** Route patterns of every page under app/, e.g. "/workspaces/[namespace]/[name]", so specs cover new pages unasked. */
export function pageRoutes(dir = APP, segments: string[] = []): string[] {
  const routes: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isFile() && /^page\.(tsx|ts|jsx|js|mdx)$/.test(entry.name)) routes.push(`/${segments.join("/")}`);
    if (!entry.isDirectory() || entry.name.startsWith("_") || entry.name === "api") continue;
    // Route groups "(name)" add nothing to the URL.
    const segment = /^\(.*\)$/.test(entry.name) ? [] : [entry.name];
    routes.push(...pageRoutes(path.join(dir, entry.name), [...segments, ...segment]));
  }
  return routes.sort();
}
