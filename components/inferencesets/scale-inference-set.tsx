"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";

import { Button } from "@/components/ui/button";
import { inlineControlClass } from "@/components/ui/input";
import type { ActionResult } from "@/server/actions/action-result";

export type ScaleAction = (input: unknown) => Promise<ActionResult<{ replicas: number }>>;

/** The replica count an operator may change; the server action writes the scale subresource and audits it. */
export function ScaleInferenceSet({
  namespace,
  name,
  replicas,
  autoscaled,
  action,
}: {
  namespace: string;
  name: string;
  replicas: number;
  autoscaled: boolean;
  action: ScaleAction;
}) {
  const router = useRouter();
  const [value, setValue] = useState(String(replicas));
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [pending, startTransition] = useTransition();

  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    startTransition(async () => {
      const result = await action({ namespace, name, replicas: value });
      if (result.ok) {
        setMessage({ ok: true, text: `Replicas set to ${result.data.replicas}.` });
        router.refresh();
      } else setMessage({ ok: false, text: result.error.message });
    });
  };

  return (
    <form onSubmit={submit} className="flex flex-wrap items-end gap-2" data-testid="scale-form">
      <label className="flex flex-col gap-1 text-sm">
        <span className="font-medium">Replicas</span>
        <input
          type="number"
          min={0}
          max={1000}
          required
          className={`${inlineControlClass} w-28`}
          value={value}
          onChange={(e) => setValue(e.target.value)}
        />
      </label>
      <Button type="submit" disabled={pending || value === String(replicas)}>
        {pending ? "Scaling…" : "Scale"}
      </Button>
      {autoscaled ? (
        <p className="w-full text-xs text-zinc-600 dark:text-zinc-400">
          KEDA autoscales this set (scaledobject.kaito.sh annotations): it will set the count back on its next sync.
        </p>
      ) : null}
      {message ? (
        <p
          role={message.ok ? "status" : "alert"}
          className={`w-full text-sm ${message.ok ? "text-emerald-700 dark:text-emerald-400" : "text-red-700 dark:text-red-400"}`}
        >
          {message.text}
        </p>
      ) : null}
    </form>
  );
}
