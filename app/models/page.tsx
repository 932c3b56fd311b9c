import { ModelCatalog } from "@/components/workspaces/model-catalog";
import { MODEL_PRESETS } from "@/lib/kaito/presets";
import { requirePagePrincipal } from "@/server/workspaces/page-principal";

export const metadata = { title: "Models" };

export default async function ModelsPage() {
  const { canWrite } = await requirePagePrincipal("/models");
  return (
    <div className="flex flex-col gap-4">
      <h1 className="text-xl font-semibold">Models</h1>
      <ModelCatalog presets={[...MODEL_PRESETS]} canWrite={canWrite} />
    </div>
  );
}
