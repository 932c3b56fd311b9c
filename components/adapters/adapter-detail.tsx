"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";

import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Table, Td, Th } from "@/components/ui/table";
import type { AdapterListing } from "@/server/adapters/list-adapters";

import { AdapterAttachForm, type AttachCandidate, type AttachRequest } from "./adapter-attach-form";
import { formatBytes } from "./format-bytes";

type Outcome = { ok: true } | { ok: false; error: { message: string } };

/** The adapter page's server actions, passed in by the page (components never import app/). */
export type AdapterActions = {
  attach: (input: { adapter: string } & AttachRequest) => Promise<Outcome>;
  detach: (input: { adapter: string; namespace: string; workspace: string }) => Promise<Outcome>;
  remove: (input: { name: string }) => Promise<Outcome>;
};

type Props = {
  adapter: AdapterListing;
  workspaces: AttachCandidate[];
  clusterError: string | null;
  canWrite: boolean;
  actions: AdapterActions;
};

export function AdapterDetail({ adapter, workspaces, clusterError, canWrite, actions }: Props) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);
  const [confirmingDelete, setConfirmingDelete] = useState(false);

  const run = (work: () => Promise<Outcome>, after?: () => void) =>
    startTransition(async () => {
      setError(null);
      const result = await work();
      if (!result.ok) return setError(result.error.message);
      after?.();
      router.refresh();
    });

  const attached = adapter.attachedTo ?? [];

  return (
    <div className="flex flex-col gap-6">
      <div className="flex items-start justify-between gap-4">
        <div>
          <h1 className="text-xl font-semibold">{adapter.name}</h1>
          <p className="text-sm text-zinc-600 dark:text-zinc-400">
            LoRA for {adapter.baseModel} · {formatBytes(adapter.sizeBytes)} · uploaded by {adapter.uploadedByEmail} on{" "}
            {new Date(adapter.createdAt).toISOString().slice(0, 10)}
          </p>
        </div>
        {canWrite ? (
          <Button
            variant="danger"
            disabled={pending || attached.length > 0}
            title={attached.length > 0 ? "Detach it from every workspace first" : undefined}
            onClick={() => setConfirmingDelete(true)}
          >
            Delete
          </Button>
        ) : null}
      </div>
      <Dialog
        open={confirmingDelete}
        onClose={() => setConfirmingDelete(false)}
        title={`Delete adapter ${adapter.name}?`}
      >
        <div className="flex flex-col gap-4">
          <p className="text-sm">Its image is removed from the registry. Workspaces cannot attach it afterwards.</p>
          <div className="flex justify-end gap-2">
            <Button variant="ghost" data-autofocus onClick={() => setConfirmingDelete(false)}>
              Cancel
            </Button>
            <Button
              variant="danger"
              disabled={pending}
              onClick={() => {
                setConfirmingDelete(false);
                run(
                  () => actions.remove({ name: adapter.name }),
                  () => router.push("/adapters"),
                );
              }}
            >
              Delete adapter
            </Button>
          </div>
        </div>
      </Dialog>

      {error ? (
        <p role="alert" className="rounded-md bg-red-50 p-3 text-sm text-red-800 dark:bg-red-950 dark:text-red-200">
          {error}
        </p>
      ) : null}
      {adapter.warnings.map((w) => (
        <p key={w} className="rounded-md bg-amber-50 p-3 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-200">
          {w}
        </p>
      ))}

      <section className="flex flex-col gap-2">
        <h2 className="font-semibold">Image</h2>
        <code className="text-xs break-all">{adapter.image}</code>
        <p className="text-xs text-zinc-600 dark:text-zinc-400">
          {adapter.tensorCount} tensors, {adapter.parameterCount.toLocaleString("en")} parameters; files:{" "}
          {adapter.files.map((f) => `${f.name} (${formatBytes(f.sizeBytes)})`).join(", ")}
        </p>
      </section>

      <section className="flex flex-col gap-2">
        <h2 className="font-semibold">Attached to</h2>
        {adapter.attachedTo === null ? <p className="text-sm">Unknown: the cluster cannot be reached.</p> : null}
        {attached.length > 0 ? (
          <Table aria-label="Attached workspaces">
            <thead>
              <tr>
                <Th>Workspace</Th>
                <Th>Strength</Th>
                <Th />
              </tr>
            </thead>
            <tbody>
              {attached.map((a) => (
                <tr key={`${a.namespace}/${a.workspace}`}>
                  <Td>
                    {a.namespace}/{a.workspace}
                  </Td>
                  <Td>{a.strength ?? "—"}</Td>
                  <Td>
                    {canWrite ? (
                      <Button
                        size="sm"
                        variant="secondary"
                        disabled={pending}
                        onClick={() =>
                          run(() =>
                            actions.detach({
                              adapter: adapter.name,
                              namespace: a.namespace,
                              workspace: a.workspace,
                            }),
                          )
                        }
                      >
                        Detach
                      </Button>
                    ) : null}
                  </Td>
                </tr>
              ))}
            </tbody>
          </Table>
        ) : adapter.attachedTo ? (
          <p className="text-sm text-zinc-600 dark:text-zinc-400">Not attached to any workspace.</p>
        ) : null}
      </section>

      {canWrite ? (
        <section className="flex flex-col gap-3">
          <h2 className="font-semibold">Attach to a workspace</h2>
          {clusterError ? <p className="text-sm text-amber-800">{clusterError}</p> : null}
          <AdapterAttachForm
            adapter={adapter.name}
            baseModel={adapter.baseModel}
            workspaces={workspaces}
            pending={pending}
            onAttach={(request) => run(() => actions.attach({ adapter: adapter.name, ...request }))}
          />
        </section>
      ) : null}

      <section className="flex flex-col gap-2">
        <h2 className="font-semibold">adapter_config.json</h2>
        <pre className="overflow-x-auto rounded-md bg-zinc-50 p-3 text-xs dark:bg-zinc-900">
          {JSON.stringify(adapter.config, null, 2)}
        </pre>
      </section>
    </div>
  );
}
