import "server-only";

import { DEFAULT_REPLICAS } from "@/lib/kaito/inferenceset";
import type { AuditRecorder } from "@/server/actions/audit-details";
import { isAppError } from "@/server/errors";
import type { KubeIdentity } from "@/server/kube/kube-client";
import type { InferenceSet } from "@/server/kube/types/inferenceset";
import { documentIssuesError } from "@/server/workspaces/document-issues-error";
import { namespaceExists } from "@/server/workspaces/namespace-exists";
import { namespaceMissingError } from "@/server/workspaces/namespace-missing-error";

import { createInferenceSet } from "./create-inferenceset";
import { validateInferenceSetDocument } from "./validate-inferenceset-document";

export type CreatedInferenceSet = { namespace: string; name: string; warnings: string[] };

/**
 * The InferenceSet create of the create page (form or YAML, both submit the YAML shown): the
 * same checks as the live validation, then a dry run and the create as the person. Problems come
 * back by field path, for the form field or the YAML line.
 */
export async function createInferenceSetFromYaml(
  yaml: string,
  audit: AuditRecorder,
  as: KubeIdentity,
): Promise<CreatedInferenceSet> {
  const { inferenceSet, issues } = validateInferenceSetDocument(yaml);
  const errors = issues.filter((i) => i.severity === "error");
  if (inferenceSet?.metadata?.name)
    audit.set({
      target: {
        kind: "InferenceSet",
        namespace: inferenceSet.metadata.namespace ?? "default",
        name: inferenceSet.metadata.name,
      },
    });
  if (!inferenceSet || errors.length > 0) throw documentIssuesError(errors, "Invalid InferenceSet");
  const set: InferenceSet = {
    ...inferenceSet,
    metadata: { ...inferenceSet.metadata, namespace: inferenceSet.metadata.namespace || "default" },
  };
  const ns = set.metadata.namespace;
  const created = await createInferenceSet(set, as).catch(async (error: unknown) => {
    // The API answers a missing namespace with a bare 404 on the create; say which thing is missing.
    if (isAppError(error) && error.code === "not_found" && !(await namespaceExists(ns)))
      throw namespaceMissingError(ns);
    throw error;
  });
  const template = created.spec.template;
  audit.set({
    summary: `Created inferenceset ${ns}/${set.metadata.name} (${created.spec.replicas ?? DEFAULT_REPLICAS} × ${template.inference?.preset?.name ?? "template"} on ${template.resource?.instanceType ?? "?"})`,
    diff: {
      after: {
        replicas: created.spec.replicas,
        nodeCountLimit: created.spec.nodeCountLimit,
        updateStrategy: created.spec.updateStrategy,
        template,
        annotations: created.metadata.annotations,
      },
    },
  });
  return {
    namespace: ns,
    name: set.metadata.name,
    warnings: issues.filter((i) => i.severity === "warning").map((i) => i.message),
  };
}
