import { ModelCatalog } from "@/components/workspaces/model-catalog";
import { MODEL_PRESETS } from "@/lib/kaito/presets";
import { measuredThroughputByPreset } from "@/server/workspaces/measured-throughput";
import { requirePagePrincipal } from "@/server/workspaces/page-principal";
import { identityOf, visibleRows } from "@/server/workspaces/workspace-access";
import { getWorkspaceCache } from "@/server/workspaces/workspace-cache";

export const dynamic = "force-dynamic";
export const metadata = { title: "Models" };

export default async function ModelsPage() {
  const { principal, canWrite } = await requirePagePrincipal("/models");
  const cache = getWorkspaceCache();
  // Measured figures are a bonus: without the cluster the catalog still lists every preset.
  const measured = await cache
    .ready()
    .then(async () => measuredThroughputByPreset(await visibleRows(identityOf(principal), cache.listRows())))
    .catch(() => ({}));
  return (
    <div className="flex flex-col gap-4">
      <h1 className="text-xl font-semibold">Models</h1>
      <ModelCatalog presets={[...MODEL_PRESETS]} measured={measured} canWrite={canWrite} />
    </div>
  );
}
