import { Playground } from "@/components/chat/playground";
import { requirePagePrincipal } from "@/server/workspaces/page-principal";

export const dynamic = "force-dynamic";
export const metadata = { title: "Playground" };

export default async function PlaygroundPage() {
  await requirePagePrincipal("/playground");
  return <Playground />;
}
