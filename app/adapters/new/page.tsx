import { UploadAdapterForm } from "@/components/adapters/upload-adapter-form";
import { MODEL_PRESETS } from "@/lib/kaito/presets";
import { requirePrincipal } from "@/server/auth/require-principal";
import { adapterSettings } from "@/server/adapters/config";

export const dynamic = "force-dynamic";
export const metadata = { title: "Upload adapter" };

export default async function NewAdapterPage() {
  await requirePrincipal("adapter:write");
  const presets = MODEL_PRESETS.map((p) => ({ name: p.name, huggingFaceId: p.huggingFaceId }));
  return (
    <div className="flex max-w-2xl flex-col gap-4">
      <h1 className="text-xl font-semibold">Upload a LoRA adapter</h1>
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        The files of a PEFT LoRA adapter — <code>adapter_config.json</code> and <code>adapter_model.safetensors</code>,
        optionally tokenizer files and a README — or one <code>.tar.gz</code>/<code>.zip</code> of them. They are
        validated, packaged as an OCI image with the files under <code>/data</code> and pushed to the adapter registry.
      </p>
      <UploadAdapterForm presets={presets} maxBytes={adapterSettings().maxBytes} />
    </div>
  );
}
