"use client";

import { useState, useTransition } from "react";

import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Input } from "@/components/ui/input";
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
        onClick={() => {
          setTyped("");
          setError(null);
          setOpen(true);
        }}
        className="rounded-md border border-red-300 px-3 py-1.5 text-sm text-red-700 hover:bg-red-50 dark:border-red-800 dark:hover:bg-red-950"
      >
        Delete
      </button>
      <Dialog open={open} onClose={() => setOpen(false)} title={`Delete workspace ${name}?`} className="max-w-md">
        <div className="flex flex-col gap-3">
          <p className="text-sm text-zinc-600 dark:text-zinc-400">
            The model server stops and its GPU nodes (NodeClaims) are released. Type{" "}
            <strong className="font-mono">{name}</strong> to confirm.
          </p>
          <Input
            data-autofocus
            aria-label="Workspace name to confirm"
            className="font-mono"
            value={typed}
            onChange={(e) => setTyped(e.target.value)}
          />
          {error ? (
            <p role="alert" className="text-sm text-red-700 dark:text-red-400">
              {error}
            </p>
          ) : null}
          <div className="flex justify-end gap-2">
            <Button variant="ghost" onClick={() => setOpen(false)}>
              Cancel
            </Button>
            <Button variant="danger" disabled={typed !== name || pending} onClick={confirm}>
              {pending ? "Deleting…" : "Delete workspace"}
            </Button>
          </div>
        </div>
      </Dialog>
    </>
  );
}
