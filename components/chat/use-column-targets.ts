"use client";

import { useEffect, useState } from "react";

import type { Conversation } from "./chat-types";
import { fixColumnTargets } from "./column-targets";

/**
 * Keeps the open conversation's columns on ready targets (Workspaces and InferenceSets). The one
 * named in the page's `?workspace=` or `?inferenceset=` goes into the first column once, when the ready list first arrives; after that
 * the user's own choice wins. `unavailable` names the requested Workspace when it could not be
 * opened, until the user picks one (`dismiss`).
 */
export function useColumnTargets(
  conversation: Conversation | null,
  ready: { namespace: string; name: string }[] | undefined,
  requested: string | null,
  update: (id: string, change: (c: Conversation) => Conversation) => void,
): { unavailable: string | null; dismiss(): void } {
  const [pending, setPending] = useState(requested);
  const [autoPick] = useState(requested === null);
  const [unavailable, setUnavailable] = useState<string | null>(null);

  useEffect(() => {
    if (!conversation || !ready) return;
    const { columns, unavailable: missing } = fixColumnTargets(conversation.columns, ready, pending, autoPick);
    if (pending !== null) {
      setPending(null);
      setUnavailable(missing);
    }
    if (columns.some((column, i) => column !== conversation.columns[i]))
      update(conversation.id, (c) => ({ ...c, columns }));
  }, [conversation, ready, pending, autoPick, update]);

  return { unavailable, dismiss: () => setUnavailable(null) };
}
