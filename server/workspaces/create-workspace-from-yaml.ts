import "server-only";

import type { AuditRecorder } from "@/server/actions/audit-details";
import { AppError } from "@/server/errors";
import type { KubeIdentity } from "@/server/kube/kube-client";
import type { Workspace } from "@/server/kube/types/workspace";

import { createWorkspace } from "./create-workspace";
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
  if (!workspace || errors.length > 0) {
    const fieldErrors: Record<string, string[]> = {};
    for (const issue of errors)
      (fieldErrors[issue.path || "_"] ??= []).push(issue.path ? issue.message : `Line ${issue.line}: ${issue.message}`);
    const first = errors[0];
    throw new AppError(
      "invalid_input",
      first ? `${first.path ? `${first.path}: ` : `Line ${first.line}: `}${first.message}` : "Invalid workspace",
      {
        fieldErrors,
      },
    );
  }
  const ws: Workspace = {
    ...workspace,
    metadata: { ...workspace.metadata, namespace: workspace.metadata.namespace || "default" },
  };
  const created = await createWorkspace(ws, as);
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
