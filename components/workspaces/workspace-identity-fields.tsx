"use client";

import { Field } from "@/components/ui/field";
import { controlClass } from "@/components/ui/input";

import type { DraftSectionProps } from "./use-draft-yaml";

/** metadata.name and metadata.namespace. */
export function WorkspaceIdentityFields({ draft, set, issues }: DraftSectionProps) {
  const nameErrors = issues.errorsAt("metadata.name");
  return (
    <div className="grid grid-cols-2 gap-3">
      <Field label="Name" htmlFor="ws-name" errors={nameErrors}>
        <input
          id="ws-name"
          className={controlClass}
          value={draft.metadata?.name ?? ""}
          aria-invalid={nameErrors.length > 0}
          onChange={(e) => set(["metadata", "name"], e.target.value)}
          autoComplete="off"
          required
        />
      </Field>
      <Field label="Namespace" htmlFor="ws-namespace" errors={issues.errorsAt("metadata.namespace")}>
        <input
          id="ws-namespace"
          className={controlClass}
          value={draft.metadata?.namespace ?? ""}
          onChange={(e) => set(["metadata", "namespace"], e.target.value)}
          autoComplete="off"
        />
      </Field>
    </div>
  );
}
