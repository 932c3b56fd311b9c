"use client";

import { useState, useTransition } from "react";

import type { ActionResult } from "@/server/actions/action-result";
import type { Workspace } from "@/server/kube/types/workspace";

import { AdaptersEditor, type AdapterRow } from "./adapters-editor";

export type UpdateAdaptersAction = (input: unknown) => Promise<ActionResult<{ resourceVersion: string }>>;

/** Edit the LoRA adapters of a running workspace; the controller rolls the change out. */
export function EditAdapters({
  workspace,
  action,
  onSaved,
}: {
  workspace: Workspace;
  action: UpdateAdaptersAction;
  onSaved: () => void;
}) {
  const [open, setOpen] = useState(false);
  const initial = (workspace.inference?.adapters ?? []).map((a) => ({
    name: a.source.name,
    image: a.source.image ?? "",
    strength: a.strength ?? "",
  }));
  const [rows, setRows] = useState<AdapterRow[]>(initial);
  const [error, setError] = useState<{ message: string; fieldErrors?: Record<string, string[]> } | null>(null);
  const [pending, startTransition] = useTransition();

  const save = () =>
    startTransition(async () => {
      const result = await action({
        namespace: workspace.metadata.namespace,
        name: workspace.metadata.name,
        resourceVersion: workspace.metadata.resourceVersion,
        adapters: rows.map((r) => ({
          source: { name: r.name, image: r.image },
          ...(r.strength ? { strength: r.strength } : {}),
        })),
      });
      if (result.ok) {
        setOpen(false);
        onSaved();
      } else setError(result.error);
    });

  const errorsAt = (path: string) => {
    const index = /^inference\.adapters\.(\d+)/.exec(path)?.[1];
    return Object.entries(error?.fieldErrors ?? {})
      .filter(([key]) => index !== undefined && key.startsWith(`adapters.${index}`))
      .flatMap(([, messages]) => messages);
  };

  return (
    <>
      <button
        type="button"
        onClick={() => {
          setRows(initial);
          setError(null);
          setOpen(true);
        }}
        className="rounded-md border border-zinc-300 px-3 py-1.5 text-sm hover:bg-zinc-50 dark:border-zinc-700 dark:hover:bg-zinc-900"
      >
        Edit adapters
      </button>
      {open ? (
        <div
          role="dialog"
          aria-modal="true"
          aria-labelledby="adapters-title"
          className="fixed inset-0 z-50 flex items-center justify-center bg-black/40 p-4"
        >
          <div className="flex w-full max-w-2xl flex-col gap-3 rounded-lg bg-white p-5 shadow-xl dark:bg-zinc-900">
            <h2 id="adapters-title" className="text-lg font-semibold">
              Adapters of {workspace.metadata.name}
            </h2>
            <AdaptersEditor adapters={rows} onChange={setRows} errorsAt={errorsAt} />
            {error ? (
              <p role="alert" className="text-sm text-red-700">
                {error.message}
              </p>
            ) : null}
            <div className="flex justify-end gap-2">
              <button type="button" onClick={() => setOpen(false)} className="rounded-md px-3 py-1.5 text-sm">
                Cancel
              </button>
              <button
                type="button"
                disabled={pending}
                onClick={save}
                className="rounded-md bg-blue-600 px-3 py-1.5 text-sm font-medium text-white disabled:opacity-50"
              >
                {pending ? "Saving…" : "Save adapters"}
              </button>
            </div>
          </div>
        </div>
      ) : null}
    </>
  );
}
