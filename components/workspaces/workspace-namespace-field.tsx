"use client";

import { useState, useTransition } from "react";

import { Button } from "@/components/ui/button";
import { Field, fieldDescribedBy } from "@/components/ui/field";
import { controlClass } from "@/components/ui/input";
import type { ActionResult } from "@/server/actions/action-result";

export type CreateNamespaceAction = (input: unknown) => Promise<ActionResult<{ name: string }>>;

/**
 * metadata.namespace: a free-text field that suggests the namespaces the user may use, says
 * plainly when the one typed does not exist, and offers admins to create it.
 */
export function WorkspaceNamespaceField({
  value,
  onChange,
  errors,
  namespaces,
  createNamespace,
  onCreated,
  locked,
}: {
  value: string;
  onChange: (value: string) => void;
  errors: string[];
  /** null when the namespaces could not be listed: then nothing is suggested or judged here. */
  namespaces: string[] | null;
  createNamespace?: CreateNamespaceAction;
  onCreated?: () => void;
  locked?: string;
}) {
  const [created, setCreated] = useState<string[]>([]);
  const [createError, setCreateError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const known = namespaces ? [...namespaces, ...created] : null;
  const missing = !locked && known !== null && value !== "" && !known.includes(value);
  const missingMessage = `Namespace "${value}" does not exist.`;

  const create = () =>
    startTransition(async () => {
      if (!createNamespace) return;
      setCreateError(null);
      const result = await createNamespace({ name: value });
      if (!result.ok) return setCreateError(result.error.message);
      setCreated((list) => [...list, result.data.name]);
      onCreated?.();
    });

  const hint = locked
    ? locked
    : missing && errors.length === 0
      ? `${missingMessage} ${createNamespace ? "Create it below, or choose another." : "Choose an existing one, or ask an admin to create it."}`
      : created.includes(value)
        ? `Namespace "${value}" created.`
        : known && known.length > 0
          ? `Existing namespaces are suggested as you type (${known.length}).`
          : undefined;

  return (
    <Field label="Namespace" htmlFor="ws-namespace" errors={errors} hint={hint}>
      <input
        id="ws-namespace"
        className={controlClass}
        value={value}
        list={known ? "ws-namespace-options" : undefined}
        aria-invalid={errors.length > 0 || missing}
        aria-describedby={fieldDescribedBy("ws-namespace", hint, errors)}
        readOnly={Boolean(locked)}
        onChange={(e) => onChange(e.target.value)}
        autoComplete="off"
      />
      {known ? (
        <datalist id="ws-namespace-options" data-testid="namespace-options">
          {known.map((ns) => (
            <option key={ns} value={ns} />
          ))}
        </datalist>
      ) : null}
      {missing && createNamespace ? (
        <Button variant="secondary" size="sm" className="self-start" disabled={pending} onClick={create}>
          {pending ? "Creating…" : `Create namespace ${value}`}
        </Button>
      ) : null}
      {createError ? (
        <p role="alert" className="text-xs text-red-700 dark:text-red-400">
          {createError}
        </p>
      ) : null}
    </Field>
  );
}
