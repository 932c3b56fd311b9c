"use client";

import { Button } from "@/components/ui/button";
import { controlClass } from "@/components/ui/input";

type Props = {
  draft: string;
  canSend: boolean;
  canRegenerate: boolean;
  streaming: boolean;
  onDraft(text: string): void;
  onSend(): void;
  onStop(): void;
  onRegenerate(): void;
};

/** The message box under the columns: Enter sends to every column, Shift+Enter adds a line. */
export function MessageComposer({
  draft,
  canSend,
  canRegenerate,
  streaming,
  onDraft,
  onSend,
  onStop,
  onRegenerate,
}: Props) {
  return (
    <form
      className="flex items-end gap-2"
      onSubmit={(e) => {
        e.preventDefault();
        if (canSend) onSend();
      }}
    >
      <textarea
        aria-label="Message"
        rows={3}
        className={controlClass}
        placeholder="Ask something… (Enter sends, Shift+Enter adds a line)"
        value={draft}
        onChange={(e) => onDraft(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === "Enter" && !e.shiftKey) {
            e.preventDefault();
            if (canSend) onSend();
          }
        }}
      />
      <div className="flex flex-col gap-1">
        {streaming ? (
          <Button variant="danger" onClick={onStop}>
            Stop
          </Button>
        ) : (
          <Button type="submit" disabled={!canSend}>
            Send
          </Button>
        )}
        <Button variant="secondary" size="sm" disabled={!canRegenerate} onClick={onRegenerate}>
          Regenerate
        </Button>
      </div>
    </form>
  );
}
