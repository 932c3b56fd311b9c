"use client";

import { useEffect, useState } from "react";

import { Button } from "@/components/ui/button";
import { Select } from "@/components/ui/select";

import type { ChatColumn as Column, ChatTarget } from "./chat-types";
import { targetKey, targetLabel, type ChatTargetOption } from "./chat-targets";
import { MarkdownMessage } from "./markdown-message";
import { MessageStatsLine } from "./message-stats";
import type { SnippetLanguage } from "./code-snippets";
import { useServedModels } from "./use-inference-targets";

type Props = {
  column: Column;
  index: number;
  /** Ready Workspaces and InferenceSets with ready replicas. */
  targets: ChatTargetOption[];
  streaming: boolean;
  canRemove: boolean;
  onTarget(target: ChatTarget | null): void;
  onRemove(): void;
  onCopy(language: SnippetLanguage): void;
};

const targetOption = (t: ChatTargetOption) => (
  <option key={targetKey(t)} value={targetKey(t)}>
    {targetLabel(t)}
  </option>
);

export function ChatColumn({ column, index, targets, streaming, canRemove, onTarget, onRemove, onCopy }: Props) {
  const target = column.target;
  const workspaceKey = target ? `${target.namespace}/${target.name}` : "";
  const models = useServedModels(target ? { namespace: target.namespace, name: target.name } : null);
  const [copyOpen, setCopyOpen] = useState(false);
  const sets = targets.filter((t) => t.kind === "InferenceSet");
  const workspaces = targets.filter((t) => t.kind === "Workspace");

  // The base model is the natural first choice once the workspace's server lists its models.
  const firstModel = models.data?.[0]?.id;
  useEffect(() => {
    if (target && !target.model && firstModel) onTarget({ ...target, model: firstModel });
  }, [target, firstModel, onTarget]);

  return (
    <section
      aria-label={`Answer column ${index + 1}`}
      data-testid="chat-column"
      className="flex min-w-0 flex-1 flex-col rounded-lg border border-zinc-200 dark:border-zinc-800"
    >
      <header className="flex flex-wrap items-center gap-2 border-b border-zinc-200 p-2 dark:border-zinc-800">
        <Select
          aria-label={`Workspace for column ${index + 1}`}
          className="max-w-56"
          value={workspaceKey}
          disabled={streaming}
          onChange={(e) => {
            const chosen = targets.find((t) => targetKey(t) === e.target.value);
            onTarget(chosen ? { namespace: chosen.namespace, name: chosen.name, model: "" } : null);
          }}
        >
          <option value="">{sets.length ? "Choose a workspace or set…" : "Choose a workspace…"}</option>
          {sets.length ? (
            <>
              <optgroup label="InferenceSets">{sets.map(targetOption)}</optgroup>
              <optgroup label="Workspaces">{workspaces.map(targetOption)}</optgroup>
            </>
          ) : (
            workspaces.map(targetOption)
          )}
        </Select>
        <Select
          aria-label={`Model for column ${index + 1}`}
          className="max-w-56"
          value={target?.model ?? ""}
          disabled={!target || streaming || !models.data}
          onChange={(e) => target && onTarget({ ...target, model: e.target.value })}
        >
          <option value="">{models.isLoading ? "Loading models…" : "Choose a model…"}</option>
          {models.data?.map((m) => (
            <option key={m.id} value={m.id}>
              {m.parent ? `${m.id} (adapter of ${m.parent})` : m.id}
            </option>
          ))}
        </Select>
        {models.error ? (
          <span role="alert" className="text-xs text-red-700">
            {models.error.message}
          </span>
        ) : null}
        <div className="relative ml-auto flex gap-1">
          <Button
            variant="ghost"
            size="sm"
            disabled={!target?.model}
            onClick={() => setCopyOpen((o) => !o)}
            aria-expanded={copyOpen}
          >
            Copy as…
          </Button>
          {copyOpen ? (
            <div className="absolute top-7 right-0 z-10 flex w-60 flex-col rounded-md border border-zinc-200 bg-white p-1 shadow dark:border-zinc-700 dark:bg-zinc-900">
              <p
                className="px-2 py-1 text-xs text-zinc-600 dark:text-zinc-400"
                data-testid="copy-includes-conversation"
              >
                Includes the whole conversation so far (earlier answers too): the chat API keeps no history, so every
                request carries it.
              </p>
              {(["curl", "python", "typescript"] as const).map((language) => (
                <Button
                  key={language}
                  variant="ghost"
                  size="sm"
                  onClick={() => {
                    onCopy(language);
                    setCopyOpen(false);
                  }}
                >
                  {language === "curl" ? "curl" : language === "python" ? "Python" : "TypeScript"}
                </Button>
              ))}
            </div>
          ) : null}
          {canRemove ? (
            <Button
              variant="ghost"
              size="sm"
              onClick={onRemove}
              disabled={streaming}
              aria-label={`Remove column ${index + 1}`}
            >
              ✕
            </Button>
          ) : null}
        </div>
      </header>
      <ol className="flex flex-1 flex-col gap-3 overflow-y-auto p-3" aria-live="polite">
        {column.messages.map((message, i) => (
          <li
            key={i}
            data-testid={message.role === "user" ? "user-message" : "assistant-message"}
            className={
              message.role === "user" ? "self-end rounded-lg bg-blue-50 px-3 py-2 text-sm dark:bg-blue-950" : "min-w-0"
            }
          >
            {message.role === "user" ? (
              <p className="whitespace-pre-wrap">{message.content}</p>
            ) : (
              <>
                <MarkdownMessage content={message.content} />
                {message.error ? (
                  <p
                    role="alert"
                    data-testid="message-error"
                    className="mt-1 rounded-md bg-red-50 p-2 text-sm text-red-800 dark:bg-red-950 dark:text-red-200"
                  >
                    {message.error}
                  </p>
                ) : null}
                {message.stopped ? <p className="text-xs text-zinc-500">Stopped.</p> : null}
                {message.stats ? <MessageStatsLine stats={message.stats} /> : null}
              </>
            )}
          </li>
        ))}
      </ol>
    </section>
  );
}
