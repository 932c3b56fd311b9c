"use client";

import { Field } from "@/components/ui/field";
import { controlClass } from "@/components/ui/input";

import type { DraftSectionProps } from "./use-draft-yaml";
import { WorkspaceNamespaceField, type CreateNamespaceAction } from "./workspace-namespace-field";

/** metadata.name and metadata.namespace. */
export function WorkspaceIdentityFields({
  draft,
  set,
  issues,
  lockedReason,
  namespaces = null,
  createNamespace,
  onNamespaceCreated,
}: DraftSectionProps & {
  namespaces?: string[] | null;
  createNamespace?: CreateNamespaceAction;
  onNamespaceCreated?: () => void;
}) {
  const nameErrors = issues.errorsAt("metadata.name");
  const nameLocked = lockedReason?.("metadata.name");
  return (
    <div className="grid grid-cols-2 gap-3">
      <Field label="Name" htmlFor="ws-name" errors={nameErrors} hint={nameLocked}>
        <input
          id="ws-name"
          className={controlClass}
          value={draft.metadata?.name ?? ""}
          aria-invalid={nameErrors.length > 0}
          readOnly={Boolean(nameLocked)}
          onChange={(e) => set(["metadata", "name"], e.target.value)}
          autoComplete="off"
          required
        />
      </Field>
      <WorkspaceNamespaceField
        value={draft.metadata?.namespace ?? ""}
        onChange={(value) => set(["metadata", "namespace"], value)}
        errors={issues.errorsAt("metadata.namespace")}
        namespaces={namespaces}
        createNamespace={createNamespace}
        onCreated={onNamespaceCreated}
        locked={lockedReason?.("metadata.namespace")}
      />
    </div>
  );
}
