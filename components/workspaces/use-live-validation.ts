"use client";

import { useEffect, useState } from "react";

import type { Issue } from "./workspace-issues";

/** Live validation by the server (CRD schema + catalog rules), debounced while typing. */
export function useLiveValidation(yaml: string): Issue[] {
  const [issues, setIssues] = useState<Issue[]>([]);
  useEffect(() => {
    if (yaml.length > 8000) return;
    const controller = new AbortController();
    const timer = setTimeout(() => {
      fetch(`/api/workspaces/validate?${new URLSearchParams({ yaml })}`, { signal: controller.signal })
        .then((r) => (r.ok ? r.json() : { issues: [] }))
        .then((body: { issues: Issue[] }) => setIssues(body.issues))
        .catch(() => {});
    }, 300);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [yaml]);
  return issues;
}
