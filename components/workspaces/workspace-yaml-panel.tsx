"use client";

import dynamic from "next/dynamic";
import { useState } from "react";

import type { EditorMarker } from "@/components/editor/yaml-editor";

import type { Issue } from "./workspace-issues";

// Monaco is ≈5 MB: loaded on the pages that edit YAML only, and never rendered on the server.
const YamlEditor = dynamic(() => import("@/components/editor/yaml-editor"), {
  ssr: false,
  loading: () => (
    <div className="h-[32rem] animate-pulse rounded-md bg-zinc-100 dark:bg-zinc-900" aria-label="Loading editor" />
  ),
});

/** The document as YAML (or as the kubectl command that applies it) and its problems, each once, by line. */
export function WorkspaceYamlPanel({
  yaml,
  onChange,
  issues,
}: {
  yaml: string;
  onChange: (yaml: string) => void;
  issues: Issue[];
}) {
  const [tab, setTab] = useState<"editor" | "kubectl">("editor");
  const markers: EditorMarker[] = issues
    .filter((i) => i.line > 0)
    .map((i) => ({ line: i.line, message: i.message, severity: i.severity }));
  return (
    <>
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
        <YamlEditor value={yaml} onChange={onChange} markers={markers} />
      ) : (
        <pre className="overflow-auto rounded-md bg-zinc-950 p-3 text-xs text-zinc-100" data-testid="kubectl-apply">
          {`kubectl apply -f - <<'EOF'\n${yaml}EOF`}
        </pre>
      )}
      <ul className="flex flex-col gap-1 text-sm" aria-label="Problems" data-testid="problems">
        {issues.map((i, n) => (
          <li
            key={`${n}-${i.path}-${i.message}`}
            className={i.severity === "error" ? "text-red-700 dark:text-red-400" : "text-amber-700 dark:text-amber-400"}
          >
            {i.line > 0 ? `Line ${i.line}${i.path ? ` (${i.path})` : ""}: ` : ""}
            {i.message}
          </li>
        ))}
      </ul>
    </>
  );
}
