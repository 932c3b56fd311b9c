import type { MessageStats } from "./chat-types";

export function MessageStatsLine({ stats }: { stats: MessageStats }) {
  const approx = stats.estimated ? "≈" : "";
  return (
    <p className="mt-1 flex flex-wrap gap-x-3 text-xs text-zinc-500" data-testid="message-stats">
      <span title="Time to first token">TTFT {stats.ttftMs === null ? "–" : `${Math.round(stats.ttftMs)} ms`}</span>
      <span title="Tokens per second from the first token on">
        {stats.tokensPerSecond === null ? "– tok/s" : `${approx}${stats.tokensPerSecond.toFixed(1)} tok/s`}
      </span>
      <span
        title={
          stats.estimated ? "Counted from the stream; the server has not reported usage yet" : "Reported by the server"
        }
      >
        {approx}
        {stats.tokens} {stats.tokens === 1 ? "token" : "tokens"}
        {stats.estimated ? " (estimated)" : ""}
      </span>
    </p>
  );
}
