import { Badge } from "@/components/ui/badge";

/** "Idle" beside a Workspace that holds GPUs and served nothing, with the reason on hover. */
export function IdleBadge({ gpus, idleHours }: { gpus: number; idleHours: number }) {
  const reason = `Holds ${gpus} GPU${gpus === 1 ? "" : "s"} and served no request in the last ${idleHours} h (vLLM's request counter, via Prometheus)`;
  return (
    <span title={reason} aria-label={`Idle: ${reason}`} data-testid="workspace-idle" className="ml-1.5 align-middle">
      <Badge tone="warning">Idle</Badge>
    </span>
  );
}
