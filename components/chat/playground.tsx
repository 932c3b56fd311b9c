"use client";

import { useCallback, useEffect, useRef, useState } from "react";

import { Button } from "@/components/ui/button";
import { controlClass } from "@/components/ui/input";
import { useToast } from "@/components/ui/toast";

import { buildChatRequest } from "./build-chat-request";
import { ChatColumn } from "./chat-column";
import { DEFAULT_SETTINGS, MAX_COLUMNS, type ChatMessage, type ChatTarget, type Conversation } from "./chat-types";
import { buildSnippet, type SnippetLanguage } from "./code-snippets";
import { downloadJson, loadConversations, saveConversations } from "./conversation-store";
import { SettingsPanel, settingsAreValid } from "./settings-panel";
import { ChatStreamError, streamChat } from "./stream-chat";
import { useReadyWorkspaces } from "./use-inference-targets";

const newId = () => crypto.randomUUID();

function freshConversation(previous?: Conversation): Conversation {
  return {
    id: newId(),
    title: "New conversation",
    updatedAt: new Date().toISOString(),
    settings: previous?.settings ?? DEFAULT_SETTINGS,
    columns: (previous?.columns ?? [{ target: null }]).map((c) => ({ id: newId(), target: c.target, messages: [] })),
  };
}

export function Playground() {
  const toast = useToast();
  const workspaces = useReadyWorkspaces();
  const [conversations, setConversations] = useState<Conversation[]>([]);
  const [activeId, setActiveId] = useState<string | null>(null);
  const [draft, setDraft] = useState("");
  const [streaming, setStreaming] = useState(false);
  const abortRef = useRef<AbortController | null>(null);

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

  const conversation = conversations.find((c) => c.id === activeId) ?? null;

  const update = useCallback((id: string, change: (c: Conversation) => Conversation) => {
    setConversations((all) =>
      all.map((c) => (c.id === id ? { ...change(c), updatedAt: new Date().toISOString() } : c)),
    );
  }, []);

  // Offer the first ready workspace right away; a workspace that stops being ready is dropped from the choice.
  const ready = workspaces.data;
  useEffect(() => {
    if (!conversation || !ready) return;
    const keys = new Set(ready.map((w) => `${w.namespace}/${w.name}`));
    const needsFix = conversation.columns.some(
      (col, i) =>
        (col.target && !keys.has(`${col.target.namespace}/${col.target.name}`)) ||
        (i === 0 && !col.target && ready.length),
    );
    if (!needsFix) return;
    update(conversation.id, (c) => ({
      ...c,
      columns: c.columns.map((col, i) => {
        if (col.target && !keys.has(`${col.target.namespace}/${col.target.name}`)) return { ...col, target: null };
        if (i === 0 && !col.target && ready.length)
          return { ...col, target: { namespace: ready[0].namespace, name: ready[0].name, model: "" } };
        return col;
      }),
    }));
  }, [conversation, ready, update]);

  const run = useCallback(
    async (conv: Conversation) => {
      const controller = new AbortController();
      abortRef.current = controller;
      setStreaming(true);
      await Promise.all(
        conv.columns.map(async (column) => {
          if (!column.target?.model) return;
          const target = column.target;
          const setLast = (patch: Partial<ChatMessage>) =>
            update(conv.id, (c) => ({
              ...c,
              columns: c.columns.map((col) =>
                col.id === column.id
                  ? {
                      ...col,
                      messages: col.messages.map((m, i) => (i === col.messages.length - 1 ? { ...m, ...patch } : m)),
                    }
                  : col,
              ),
            }));
          const history = column.messages.slice(0, -1);
          try {
            const result = await streamChat(
              target,
              buildChatRequest(target, conv.settings, history),
              controller.signal,
              (u) => setLast({ content: u.content, stats: u.stats }),
            );
            setLast({ content: result.content, stats: result.stats });
          } catch (error) {
            if (controller.signal.aborted) setLast({ stopped: true });
            else
              setLast({
                error:
                  error instanceof ChatStreamError
                    ? error.message
                    : `The connection to the inference proxy failed: ${(error as Error).message}`,
              });
          }
        }),
      );
      abortRef.current = null;
      setStreaming(false);
    },
    [update],
  );

  if (!conversation) return null;
  const targets = conversation.columns.filter((c) => c.target?.model);
  const canSend = !streaming && draft.trim() !== "" && targets.length > 0 && settingsAreValid(conversation.settings);
  const lastIsAssistant = conversation.columns.some((c) => c.messages.at(-1)?.role === "assistant");

  const send = () => {
    const text = draft.trim();
    const next: Conversation = {
      ...conversation,
      title: conversation.columns.some((c) => c.messages.length) ? conversation.title : text.slice(0, 60),
      columns: conversation.columns.map((col) =>
        col.target?.model
          ? { ...col, messages: [...col.messages, { role: "user", content: text }, { role: "assistant", content: "" }] }
          : col,
      ),
    };
    update(conversation.id, () => next);
    setDraft("");
    void run(next);
  };

  const regenerate = () => {
    const next: Conversation = {
      ...conversation,
      columns: conversation.columns.map((col) =>
        col.target?.model && col.messages.at(-1)?.role === "assistant"
          ? { ...col, messages: [...col.messages.slice(0, -1), { role: "assistant", content: "" }] }
          : col,
      ),
    };
    update(conversation.id, () => next);
    void run(next);
  };

  const copy = async (target: ChatTarget, messages: ChatMessage[], language: SnippetLanguage) => {
    const history: ChatMessage[] = draft.trim() ? [...messages, { role: "user", content: draft.trim() }] : messages;
    const snippet = buildSnippet(
      language,
      window.location.origin,
      target,
      buildChatRequest(target, conversation.settings, history),
    );
    try {
      await navigator.clipboard.writeText(snippet);
      toast(`Copied the request as ${language}`, "success");
    } catch {
      toast("The browser refused clipboard access", "error");
    }
  };

  return (
    <div className="flex h-[calc(100vh-4rem)] gap-4 p-4">
      <aside className="flex w-56 shrink-0 flex-col gap-2 overflow-y-auto" aria-label="Conversations">
        <Button
          variant="secondary"
          disabled={streaming}
          onClick={() => {
            const fresh = freshConversation(conversation);
            setConversations((all) => [fresh, ...all]);
            setActiveId(fresh.id);
          }}
        >
          New conversation
        </Button>
        <ul className="flex flex-col gap-1 text-sm">
          {conversations.map((c) => (
            <li key={c.id} className="flex items-center gap-1">
              <button
                type="button"
                disabled={streaming}
                className={`flex-1 truncate rounded px-2 py-1 text-left ${c.id === activeId ? "bg-zinc-200 dark:bg-zinc-800" : "hover:bg-zinc-100 dark:hover:bg-zinc-900"}`}
                onClick={() => setActiveId(c.id)}
              >
                {c.title}
              </button>
              <button
                type="button"
                aria-label={`Delete ${c.title}`}
                disabled={streaming}
                className="px-1 text-zinc-400 hover:text-red-600"
                onClick={() => {
                  const rest = conversations.filter((x) => x.id !== c.id);
                  const remaining = rest.length ? rest : [freshConversation(c)];
                  setConversations(remaining);
                  if (c.id === activeId) setActiveId(remaining[0].id);
                }}
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

      <div className="flex min-w-0 flex-1 flex-col gap-3">
        <div className="flex items-center gap-2">
          <h1 className="text-xl font-semibold">Playground</h1>
          {workspaces.error ? (
            <p role="alert" className="text-sm text-red-700">
              {workspaces.error.message}
            </p>
          ) : workspaces.data && workspaces.data.length === 0 ? (
            <p className="text-sm text-zinc-500" data-testid="no-ready-workspaces">
              No workspace is ready for inference yet.
            </p>
          ) : null}
          <Button
            className="ml-auto"
            variant="secondary"
            size="sm"
            disabled={streaming || conversation.columns.length >= MAX_COLUMNS}
            onClick={() =>
              update(conversation.id, (c) => ({
                ...c,
                columns: [...c.columns, { id: newId(), target: null, messages: [] }],
              }))
            }
          >
            Compare (+ column)
          </Button>
        </div>
        <div className="flex min-h-0 flex-1 gap-3">
          {conversation.columns.map((column, index) => (
            <ChatColumn
              key={column.id}
              column={column}
              index={index}
              workspaces={workspaces.data ?? []}
              streaming={streaming}
              canRemove={conversation.columns.length > 1}
              onTarget={(target) =>
                update(conversation.id, (c) => ({
                  ...c,
                  columns: c.columns.map((col) => (col.id === column.id ? { ...col, target } : col)),
                }))
              }
              onRemove={() =>
                update(conversation.id, (c) => ({ ...c, columns: c.columns.filter((col) => col.id !== column.id) }))
              }
              onCopy={(language) => column.target && void copy(column.target, column.messages, language)}
            />
          ))}
        </div>
        <form
          className="flex items-end gap-2"
          onSubmit={(e) => {
            e.preventDefault();
            if (canSend) send();
          }}
        >
          <textarea
            aria-label="Message"
            rows={3}
            className={controlClass}
            placeholder="Ask something… (Enter sends, Shift+Enter adds a line)"
            value={draft}
            onChange={(e) => setDraft(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === "Enter" && !e.shiftKey) {
                e.preventDefault();
                if (canSend) send();
              }
            }}
          />
          <div className="flex flex-col gap-1">
            {streaming ? (
              <Button variant="danger" onClick={() => abortRef.current?.abort()}>
                Stop
              </Button>
            ) : (
              <Button type="submit" disabled={!canSend}>
                Send
              </Button>
            )}
            <Button variant="secondary" size="sm" disabled={streaming || !lastIsAssistant} onClick={regenerate}>
              Regenerate
            </Button>
          </div>
        </form>
      </div>

      <aside className="w-64 shrink-0 overflow-y-auto">
        <SettingsPanel
          settings={conversation.settings}
          onChange={(settings) => update(conversation.id, (c) => ({ ...c, settings }))}
        />
      </aside>
    </div>
  );
}
