import { notFound } from "next/navigation";

import { InferenceSetDetailView } from "@/components/inferencesets/inference-set-detail";
import { isAppError } from "@/server/errors";
import { getInferenceSetDetail } from "@/server/inferencesets/get-inferenceset-detail";
import { requirePagePrincipal } from "@/server/workspaces/page-principal";
import { identityOf } from "@/server/workspaces/workspace-access";

import { scaleInferenceSetAction } from "./actions";

export const dynamic = "force-dynamic";

export default async function InferenceSetPage({ params }: { params: Promise<{ namespace: string; name: string }> }) {
  const { namespace, name } = await params;
  const { principal, canWrite } = await requirePagePrincipal(`/inferencesets/${namespace}/${name}`);
  const read = await getInferenceSetDetail(namespace, name, identityOf(principal)).catch((error: unknown) => {
    // Kubernetes refused this person the set: say so here, with the apiserver's reason.
    if (isAppError(error) && error.code === "forbidden") return error;
    throw error;
  });
  if (read instanceof Error)
    return (
      <div className="flex flex-col gap-4">
        <h1 className="text-xl font-semibold">
          {namespace}/{name}
        </h1>
        <p role="alert" className="rounded-md bg-red-50 p-3 text-sm text-red-900 dark:bg-red-950 dark:text-red-200">
          {read.message}
        </p>
      </div>
    );
  if (!read) notFound();
  return (
    <InferenceSetDetailView detail={read} canWrite={canWrite} scaleAction={scaleInferenceSetAction} now={Date.now()} />
  );
}
