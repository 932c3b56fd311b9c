import { Badge } from "@/components/ui/badge";

export function OutcomeBadge({ outcome }: { outcome: "succeeded" | "denied" | "failed" }) {
  return (
    <Badge tone={outcome === "succeeded" ? "success" : outcome === "denied" ? "warning" : "danger"}>{outcome}</Badge>
  );
}
