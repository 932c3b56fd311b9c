"use client";

import { useMemo, useState } from "react";

import { Button } from "@/components/ui/button";
import { useToast } from "@/components/ui/toast";

import { buildChatRequest } from "./build-chat-request";
import { ChatColumn } from "./chat-column";
import { chatTargets } from "./chat-targets";
import { MAX_COLUMNS, type ChatMessage, type ChatTarget, type Conversation } from "./chat-types";
import { buildSnippet, type SnippetLanguage } from "./code-snippets";
import { ConversationList } from "./conversation-list";
import { MessageComposer } from "./message-composer";
import { SettingsPanel, settingsAreValid } from "./settings-panel";
import { useChatRun } from "./use-chat-run";
import { useColumnTargets } from "./use-column-targets";
import { newId, useConversations } from "./use-conversations";
import { useReadyWorkspaces } from "./use-inference-targets";

/** What "Open in playground" opened the page for: a Workspace's or an InferenceSet's `namespace/name`. */
export type RequestedTarget = { kind: "Workspace" | "InferenceSet"; key: string };

export function Playground({ requested = null }: { requested?: RequestedTarget | null }) {
  const toast = useToast();
  const workspaces = useReadyWorkspaces();
  const choices = useMemo(() => (workspaces.data ? chatTargets(workspaces.data) : undefined), [workspaces.data]);
  const { conversations, active: conversation, select, update, start, remove } = useConversations();
  const { run, stop, streaming } = useChatRun(update);
  const { unavailable, dismiss } = useColumnTargets(conversation, choices, requested?.key ?? null, update);
  const [draft, setDraft] = useState("");

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
      toast(
        `Copied the request as ${language}, with the ${history.length} message${history.length === 1 ? "" : "s"} of this conversation`,
        "success",
      );
    } catch {
      toast("The browser refused clipboard access", "error");
    }
  };

  return (
    <div className="flex h-[calc(100vh-4rem)] gap-4 p-4">
      <ConversationList
        conversations={conversations}
        activeId={conversation.id}
        streaming={streaming}
        onNew={() => start(conversation)}
        onSelect={select}
        onDelete={remove}
      />

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
        {unavailable ? (
          <p
            role="alert"
            data-testid="requested-workspace-unavailable"
            className="rounded-md bg-amber-50 p-2 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-200"
          >
            {requested?.kind === "InferenceSet"
              ? `InferenceSet ${unavailable} has no replica ready for inference (or you may not use it), so nothing was chosen. Pick a target below.`
              : `Workspace ${unavailable} is not ready for inference (or you may not use it), so no workspace was chosen. Pick one below.`}
          </p>
        ) : null}
        <div className="flex min-h-0 flex-1 gap-3">
          {conversation.columns.map((column, index) => (
            <ChatColumn
              key={column.id}
              column={column}
              index={index}
              targets={choices ?? []}
              streaming={streaming}
              canRemove={conversation.columns.length > 1}
              onTarget={(target) => {
                if (index === 0 && target) dismiss();
                update(conversation.id, (c) => ({
                  ...c,
                  columns: c.columns.map((col) => (col.id === column.id ? { ...col, target } : col)),
                }));
              }}
              onRemove={() =>
                update(conversation.id, (c) => ({ ...c, columns: c.columns.filter((col) => col.id !== column.id) }))
              }
              onCopy={(language) => column.target && void copy(column.target, column.messages, language)}
            />
          ))}
        </div>
        <MessageComposer
          draft={draft}
          canSend={canSend}
          canRegenerate={!streaming && lastIsAssistant}
          streaming={streaming}
          onDraft={setDraft}
          onSend={send}
          onStop={stop}
          onRegenerate={regenerate}
        />
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
