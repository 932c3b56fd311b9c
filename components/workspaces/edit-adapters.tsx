"use client";

import { useState, useTransition } from "react";

import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
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
  const current = workspace.inference?.adapters ?? [];
  const initial = current.map((a) => ({
    name: a.source.name,
    image: a.source.image ?? "",
    strength: a.strength ?? "",
  }));
  const [rows, setRows] = useState<AdapterRow[]>(initial);
  // The list as it was when the editor opened: the server refuses the save if someone changed it since.
  const [base, setBase] = useState(current);
  const [error, setError] = useState<{ message: string; fieldErrors?: Record<string, string[]> } | null>(null);
  const [pending, startTransition] = useTransition();

  const save = () =>
    startTransition(async () => {
      const result = await action({
        namespace: workspace.metadata.namespace,
        name: workspace.metadata.name,
        base,
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
          setBase(current);
          setError(null);
          setOpen(true);
        }}
        className="rounded-md border border-zinc-300 px-3 py-1.5 text-sm hover:bg-zinc-50 dark:border-zinc-700 dark:hover:bg-zinc-900"
      >
        Edit adapters
      </button>
      <Dialog
        open={open}
        onClose={() => setOpen(false)}
        title={`Adapters of ${workspace.metadata.name}`}
        className="max-w-2xl"
      >
        <div className="flex flex-col gap-3">
          <AdaptersEditor
            adapters={rows}
            onChange={setRows}
            errorsAt={errorsAt}
            baseModel={workspace.inference?.preset?.name}
          />
          {error ? (
            <p role="alert" className="text-sm text-red-700 dark:text-red-400">
              {error.message}
            </p>
          ) : null}
          <div className="flex justify-end gap-2">
            <Button variant="ghost" onClick={() => setOpen(false)}>
              Cancel
            </Button>
            <Button disabled={pending} onClick={save}>
              {pending ? "Saving…" : "Save adapters"}
            </Button>
          </div>
        </div>
      </Dialog>
    </>
  );
}
