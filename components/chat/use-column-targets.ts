"use client";

import { useEffect, useState } from "react";

import type { Conversation } from "./chat-types";
import { fixColumnTargets } from "./column-targets";
import type { ReadyWorkspace } from "./use-inference-targets";

/**
 * Keeps the open conversation's columns on ready Workspaces. The Workspace named in the page's
 * `?workspace=` goes into the first column once, when the ready list first arrives; after that
 * the user's own choice wins. Returns the requested Workspace when it could not be opened.
 */
export function useColumnTargets(
  conversation: Conversation | null,
  ready: ReadyWorkspace[] | undefined,
  requested: string | null,
  update: (id: string, change: (c: Conversation) => Conversation) => void,
): string | null {
  const [pending, setPending] = useState(requested);
  const [unavailable, setUnavailable] = useState<string | null>(null);

  useEffect(() => {
    if (!conversation || !ready) return;
    const { columns, unavailable: missing } = fixColumnTargets(conversation.columns, ready, pending);
    if (pending !== null) {
      setPending(null);
      setUnavailable(missing);
    }
    if (columns.some((column, i) => column !== conversation.columns[i]))
      update(conversation.id, (c) => ({ ...c, columns }));
  }, [conversation, ready, pending, update]);

  // Once the user has picked a Workspace for the first column the notice has served its purpose.
  const firstTarget = conversation?.columns[0]?.target;
  useEffect(() => {
    if (firstTarget) setUnavailable(null);
  }, [firstTarget]);

  return unavailable;
}
