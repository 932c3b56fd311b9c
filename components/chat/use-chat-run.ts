"use client";

import { useCallback, useRef, useState } from "react";

import { buildChatRequest } from "./build-chat-request";
import type { ChatMessage, Conversation } from "./chat-types";
import { ChatStreamError, streamChat } from "./stream-chat";

/**
 * Sends a conversation's last user turn to every column that has a model, streaming each answer
 * into that column's last (assistant) message. One Stop ends all of them.
 */
export function useChatRun(update: (id: string, change: (c: Conversation) => Conversation) => void) {
  const [streaming, setStreaming] = useState(false);
  const abortRef = useRef<AbortController | null>(null);

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

  const stop = useCallback(() => abortRef.current?.abort(), []);
  return { run, stop, streaming };
}
