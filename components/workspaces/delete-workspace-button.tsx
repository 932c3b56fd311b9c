"use client";

import { useState, useTransition } from "react";

import type { ActionResult } from "@/server/actions/action-result";

export type DeleteAction = (input: unknown) => Promise<ActionResult<{ namespace: string; name: string }>>;

/** Delete behind a typed confirmation: the button stays disabled until the name is typed exactly. */
export function DeleteWorkspaceButton({
  namespace,
  name,
  action,
  onDeleted,
}: {
  namespace: string;
  name: string;
  action: DeleteAction;
  onDeleted: () => void;
}) {
  const [open, setOpen] = useState(false);
  const [typed, setTyped] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  const confirm = () =>
    startTransition(async () => {
      const result = await action({ namespace, name, confirmation: typed });
      if (result.ok) {
        setOpen(false);
        // The page follows the deletion through the workspace's event stream; refresh once now.
        onDeleted();
      } else setError(result.error.message);
    });

  return (
    <>
      <button
        type="button"
        onClick={() => setOpen(true)}
        className="rounded-md border border-red-300 px-3 py-1.5 text-sm text-red-700 hover:bg-red-50 dark:border-red-800 dark:hover:bg-red-950"
      >
        Delete
      </button>
      {open ? (
        <div
          role="dialog"
          aria-modal="true"
          aria-labelledby="delete-title"
          className="fixed inset-0 z-50 flex items-center justify-center bg-black/40 p-4"
        >
          <div className="flex w-full max-w-md flex-col gap-3 rounded-lg bg-white p-5 shadow-xl dark:bg-zinc-900">
            <h2 id="delete-title" className="text-lg font-semibold">
              Delete workspace {name}?
            </h2>
            <p className="text-sm text-zinc-600 dark:text-zinc-400">
              The model server stops and its GPU nodes (NodeClaims) are released. Type{" "}
              <strong className="font-mono">{name}</strong> to confirm.
            </p>
            <input
              autoFocus
              aria-label="Workspace name to confirm"
              className="rounded-md border border-zinc-300 px-2.5 py-1.5 font-mono text-sm dark:border-zinc-700 dark:bg-zinc-950"
              value={typed}
              onChange={(e) => setTyped(e.target.value)}
              onKeyDown={(e) => e.key === "Escape" && setOpen(false)}
            />
            {error ? (
              <p role="alert" className="text-sm text-red-700">
                {error}
              </p>
            ) : null}
            <div className="flex justify-end gap-2">
              <button type="button" onClick={() => setOpen(false)} className="rounded-md px-3 py-1.5 text-sm">
                Cancel
              </button>
              <button
                type="button"
                disabled={typed !== name || pending}
                onClick={confirm}
                className="rounded-md bg-red-600 px-3 py-1.5 text-sm font-medium text-white disabled:opacity-40"
              >
                {pending ? "Deleting…" : "Delete workspace"}
              </button>
            </div>
          </div>
        </div>
      ) : null}
    </>
  );
}
