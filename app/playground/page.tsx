import { Playground } from "@/components/chat/playground";
import { requirePagePrincipal } from "@/server/workspaces/page-principal";

export const dynamic = "force-dynamic";
export const metadata = { title: "Playground" };

type Props = { searchParams: Promise<{ workspace?: string | string[] }> };

export default async function PlaygroundPage({ searchParams }: Props) {
  const { workspace } = await searchParams;
  // "Open in playground" links here with ?workspace=namespace/name.
  const requested = typeof workspace === "string" && /^[^/]+\/[^/]+$/.test(workspace) ? workspace : null;
  await requirePagePrincipal(requested ? `/playground?workspace=${encodeURIComponent(requested)}` : "/playground");
  return <Playground workspace={requested} />;
}
