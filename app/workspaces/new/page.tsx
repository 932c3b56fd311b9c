import Link from "next/link";

import { CreateWorkspace } from "@/components/workspaces/create-workspace";
import { can } from "@/server/auth/permissions";
import { catalogForBrowser, suggestInstanceType } from "@/server/workspaces/catalog-for-browser";
import { listNamespaces } from "@/server/workspaces/list-namespaces";
import { requirePagePrincipal } from "@/server/workspaces/page-principal";
import { identityOf } from "@/server/workspaces/workspace-access";

import { createNamespaceAction, createWorkspaceAction } from "./actions";

export const dynamic = "force-dynamic";
export const metadata = { title: "Create workspace" };

export default async function NewWorkspacePage({ searchParams }: { searchParams: Promise<{ preset?: string }> }) {
  const { principal, canWrite } = await requirePagePrincipal("/workspaces/new");
  const { preset: requested } = await searchParams;
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
      <h1 className="text-xl font-semibold">Create workspace</h1>
      <CreateWorkspace
        catalog={catalogForBrowser()}
        initialPreset={preset}
        initialInstanceType={suggestInstanceType(preset)}
        createAction={createWorkspaceAction}
        namespaces={choices?.namespaces ?? null}
        createNamespaceAction={
          choices?.mayCreateNamespaces && can(principal.role, "admin") ? createNamespaceAction : undefined
        }
      />
    </div>
  );
}
