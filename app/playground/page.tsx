import { Playground, type RequestedTarget } from "@/components/chat/playground";
import { requirePagePrincipal } from "@/server/workspaces/page-principal";

export const dynamic = "force-dynamic";
export const metadata = { title: "Playground" };

type Props = { searchParams: Promise<{ workspace?: string | string[]; inferenceset?: string | string[] }> };

const targetParam = (value: string | string[] | undefined) =>
  typeof value === "string" && /^[^/]+\/[^/]+$/.test(value) ? value : null;

export default async function PlaygroundPage({ searchParams }: Props) {
  const params = await searchParams;
  // "Open in playground" links here with ?workspace=namespace/name or ?inferenceset=namespace/name.
  const workspace = targetParam(params.workspace);
  const set = workspace ? null : targetParam(params.inferenceset);
  const requested: RequestedTarget | null = workspace
    ? { kind: "Workspace", key: workspace }
    : set
      ? { kind: "InferenceSet", key: set }
      : null;
  await requirePagePrincipal(
    requested
      ? `/playground?${requested.kind === "Workspace" ? "workspace" : "inferenceset"}=${encodeURIComponent(requested.key)}`
      : "/playground",
  );
  return <Playground requested={requested} />;
}
