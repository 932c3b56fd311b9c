import "server-only";

import type { AuditRecorder } from "@/server/actions/audit-details";
import { isAppError } from "@/server/errors";
import type { KubeIdentity } from "@/server/kube/kube-client";
import type { Workspace } from "@/server/kube/types/workspace";

import { createWorkspace } from "./create-workspace";
import { documentIssuesError } from "./document-issues-error";
import { namespaceExists } from "./namespace-exists";
import { namespaceMissingError } from "./namespace-missing-error";
import { validateWorkspaceDocument } from "./validate-workspace-document";

export type CreatedWorkspace = { namespace: string; name: string; warnings: string[] };

/**
 * The create path shared by the form and the YAML editor (the form submits the YAML it shows):
 * validate against the CRD schema and the catalog, then dry-run and create. Every problem is
 * reported by field path so the browser can put it at the form field or the YAML line. The
 * create is sent as the person (`as`), so the apiserver's RBAC and admission decide.
 */
export async function createWorkspaceFromYaml(
  yaml: string,
  audit: AuditRecorder,
  as: KubeIdentity,
): Promise<CreatedWorkspace> {
  const { workspace, issues } = validateWorkspaceDocument(yaml);
  const errors = issues.filter((i) => i.severity === "error");
  if (workspace?.metadata?.name)
    audit.set({
      target: {
        kind: "Workspace",
        namespace: workspace.metadata.namespace ?? "default",
        name: workspace.metadata.name,
      },
    });
  if (!workspace || errors.length > 0) throw documentIssuesError(errors, "Invalid workspace");
  const ws: Workspace = {
    ...workspace,
    metadata: { ...workspace.metadata, namespace: workspace.metadata.namespace || "default" },
  };
  const created = await createWorkspace(ws, as).catch(async (error: unknown) => {
    // The API answers a missing namespace with a bare 404 on the create; say which thing is missing.
    if (isAppError(error) && error.code === "not_found" && !(await namespaceExists(ws.metadata.namespace)))
      throw namespaceMissingError(ws.metadata.namespace);
    throw error;
  });
  audit.set({
    summary: `Created workspace ${ws.metadata.namespace}/${ws.metadata.name} (${ws.inference?.preset?.name ?? ws.tuning?.preset?.name ?? "template"} on ${ws.resource?.instanceType ?? "?"})`,
    diff: {
      after: {
        resource: created.resource,
        inference: created.inference,
        tuning: created.tuning,
        annotations: created.metadata.annotations,
      },
    },
  });
  return {
    namespace: ws.metadata.namespace,
    name: ws.metadata.name,
    warnings: issues.filter((i) => i.severity === "warning").map((i) => i.message),
  };
}
