import Link from "next/link";

import { CreateWorkspace } from "@/components/workspaces/create-workspace";
import { WORKSPACE_KIND } from "@/lib/kaito/api";
import { INFERENCESET_KIND } from "@/lib/kaito/inferenceset";
import { can } from "@/server/auth/permissions";
import { catalogForBrowser, suggestInstanceType } from "@/server/workspaces/catalog-for-browser";
import { listNamespaces } from "@/server/workspaces/list-namespaces";
import { requirePagePrincipal } from "@/server/workspaces/page-principal";
import { identityOf } from "@/server/workspaces/workspace-access";

import { createInferenceSetAction, createNamespaceAction, createWorkspaceAction } from "./actions";

export const dynamic = "force-dynamic";
type Props = { searchParams: Promise<{ preset?: string; kind?: string }> };

export async function generateMetadata({ searchParams }: Props) {
  const { kind } = await searchParams;
  return { title: kind === INFERENCESET_KIND ? "Create InferenceSet" : "Create workspace" };
}

export default async function NewWorkspacePage({ searchParams }: Props) {
  const { principal, canWrite } = await requirePagePrincipal("/workspaces/new");
  const { preset: requested, kind } = await searchParams;
  const preset = typeof requested === "string" ? requested.slice(0, 200) : "";
  if (!canWrite) {
    return (
      <div>
        <h1 className="mb-2 text-xl font-semibold">Create workspace</h1>
        <p role="alert" className="text-sm text-zinc-600 dark:text-zinc-400">
          Your role is read-only: creating workspaces needs the operator or admin role.{" "}
          <Link href="/workspaces" className="text-blue-700 underline">
            Back to workspaces
          </Link>
        </p>
      </div>
    );
  }
  // Suggestions only: without them the field is still free text, and the create says what is wrong.
  const choices = await listNamespaces(identityOf(principal)).catch(() => null);
  return (
    <div className="flex flex-col gap-4">
      <CreateWorkspace
        catalog={catalogForBrowser()}
        initialPreset={preset}
        initialInstanceType={suggestInstanceType(preset)}
        initialKind={kind === INFERENCESET_KIND ? INFERENCESET_KIND : WORKSPACE_KIND}
        createAction={createWorkspaceAction}
        createInferenceSetAction={createInferenceSetAction}
        namespaces={choices?.namespaces ?? null}
        createNamespaceAction={
          choices?.mayCreateNamespaces && can(principal.role, "admin") ? createNamespaceAction : undefined
        }
      />
    </div>
  );
}
