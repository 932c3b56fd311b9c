"use client";

import { useCallback, useEffect, useState } from "react";

import { DEFAULT_SETTINGS, type Conversation } from "./chat-types";
import { loadConversations, saveConversations } from "./conversation-store";

export const newId = () => crypto.randomUUID();

/** A new conversation keeps the previous one's settings and column targets, not its messages. */
export function freshConversation(previous?: Conversation): Conversation {
  return {
    id: newId(),
    title: "New conversation",
    updatedAt: new Date().toISOString(),
    settings: previous?.settings ?? DEFAULT_SETTINGS,
    columns: (previous?.columns ?? [{ target: null }]).map((c) => ({ id: newId(), target: c.target, messages: [] })),
  };
}

/** The playground's conversations: kept in this browser, with one of them open. */
export function useConversations() {
  const [conversations, setConversations] = useState<Conversation[]>([]);
  const [activeId, setActiveId] = useState<string | null>(null);

  useEffect(() => {
    const stored = loadConversations();
    const first = freshConversation(stored[0]);
    setConversations([first, ...stored]);
    setActiveId(first.id);
  }, []);

  useEffect(() => {
    if (conversations.length)
      saveConversations(conversations.filter((c) => c.columns.some((col) => col.messages.length)));
  }, [conversations]);

  const update = useCallback((id: string, change: (c: Conversation) => Conversation) => {
    setConversations((all) =>
      all.map((c) => (c.id === id ? { ...change(c), updatedAt: new Date().toISOString() } : c)),
    );
  }, []);

  const start = useCallback((previous: Conversation) => {
    const fresh = freshConversation(previous);
    setConversations((all) => [fresh, ...all]);
    setActiveId(fresh.id);
  }, []);

  const remove = useCallback(
    (doomed: Conversation) => {
      const rest = conversations.filter((x) => x.id !== doomed.id);
      const remaining = rest.length ? rest : [freshConversation(doomed)];
      setConversations(remaining);
      if (doomed.id === activeId) setActiveId(remaining[0].id);
    },
    [conversations, activeId],
  );

  return {
    conversations,
    active: conversations.find((c) => c.id === activeId) ?? null,
    select: setActiveId,
    update,
    start,
    remove,
  };
}
