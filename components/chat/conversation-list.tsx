"use client";

import { Button } from "@/components/ui/button";

import type { Conversation } from "./chat-types";
import { downloadJson } from "./conversation-store";

type Props = {
  conversations: Conversation[];
  activeId: string;
  streaming: boolean;
  onNew(): void;
  onSelect(id: string): void;
  onDelete(conversation: Conversation): void;
};

/** The left column: this browser's conversations, a new one, and an export of them all. */
export function ConversationList({ conversations, activeId, streaming, onNew, onSelect, onDelete }: Props) {
  return (
    <aside className="flex w-56 shrink-0 flex-col gap-2 overflow-y-auto" aria-label="Conversations">
      <Button variant="secondary" disabled={streaming} onClick={onNew}>
        New conversation
      </Button>
      <ul className="flex flex-col gap-1 text-sm">
        {conversations.map((c) => (
          <li key={c.id} className="flex items-center gap-1">
            <button
              type="button"
              disabled={streaming}
              className={`flex-1 truncate rounded px-2 py-1 text-left ${c.id === activeId ? "bg-zinc-200 dark:bg-zinc-800" : "hover:bg-zinc-100 dark:hover:bg-zinc-900"}`}
              onClick={() => onSelect(c.id)}
            >
              {c.title}
            </button>
            <button
              type="button"
              aria-label={`Delete ${c.title}`}
              disabled={streaming}
              className="px-1 text-zinc-400 hover:text-red-600"
              onClick={() => onDelete(c)}
            >
              ✕
            </button>
          </li>
        ))}
      </ul>
      <Button
        variant="ghost"
        size="sm"
        onClick={() => downloadJson(`conversations-${new Date().toISOString().slice(0, 10)}.json`, conversations)}
      >
        Export JSON
      </Button>
    </aside>
  );
}
