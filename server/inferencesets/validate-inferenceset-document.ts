import "server-only";

import { KAITO_GROUP, WORKSPACE_API_VERSION, WORKSPACE_KIND } from "@/lib/kaito/api";
import {
  DEFAULT_REPLICAS,
  INFERENCESET_KIND,
  INFERENCESET_VERSIONS,
  SCALEDOBJECT_ANNOTATION_PREFIX,
  ScaledObjectAnnotation,
} from "@/lib/kaito/inferenceset";
import { readAutoscalingRequest } from "@/server/controller/inferenceset/render-scaledobject";
import { validateWorkspace } from "@/server/controller/validate-workspace";
import type { InferenceSet } from "@/server/kube/types/inferenceset";
import type { Workspace } from "@/server/kube/types/workspace";
import type { WorkspaceIssue } from "@/server/workspaces/check-workspace-catalog";
import { readKaitoYaml, schemaIssues, type LocatedIssue } from "@/server/workspaces/validate-workspace-document";
import { getKaitoJsonSchema } from "@/server/workspaces/workspace-json-schema";

export type InferenceSetValidation = { inferenceSet: InferenceSet | null; issues: LocatedIssue[] };

// Newest first: the message names the version to write.
const SUPPORTED_API_VERSIONS = INFERENCESET_VERSIONS.map((version) => `${KAITO_GROUP}/${version}`).reverse();

// A template's child gets `resource.count` 1: the set's template has no count.
const NODES_PER_REPLICA = 1;

const isPositiveIntOrPercent = (value: unknown) =>
  (typeof value === "number" && Number.isInteger(value) && value >= 1) ||
  (typeof value === "string" && /^([1-9]\d?|100)%$/.test(value));

const annotationPath = (key: string) => `metadata.annotations.${key}`;

/**
 * The child Workspace a template makes, for the catalog rules (preset known, GPU fits, selector
 * has a label of the user's own), and the way back from its field paths to the set's.
 */
function templateAsWorkspace(set: InferenceSet): Workspace {
  const template = set.spec.template;
  return {
    apiVersion: WORKSPACE_API_VERSION,
    kind: WORKSPACE_KIND,
    metadata: {
      name: set.metadata.name,
      namespace: set.metadata.namespace,
      annotations: template.metadata?.annotations,
    },
    resource: { ...template.resource, labelSelector: set.spec.labelSelector },
    inference: template.inference,
  } as Workspace;
}

function toSetPath(path: string): string | null {
  if (path === "resource.labelSelector" || path.startsWith("resource.labelSelector.")) return `spec.${path.slice(9)}`;
  if (path === "resource.count" || path.startsWith("resource.preferredNodes")) return null;
  if (path.startsWith("resource") || path.startsWith("inference")) return `spec.template.${path}`;
  if (path.startsWith("metadata.annotations")) return `spec.template.${path}`;
  return path;
}

/** The set's own rules: a node limit of at least one, and autoscaling annotations keda-kaito-scaler would take. */
function checkSetRules(set: InferenceSet, sound: boolean): WorkspaceIssue[] {
  const issues: WorkspaceIssue[] = [];
  const error = (path: string, message: string) => issues.push({ path, message, severity: "error" });
  const replicas = set.spec?.replicas ?? DEFAULT_REPLICAS;
  const limit = set.spec?.nodeCountLimit;
  if (typeof limit === "number" && limit < 1)
    error(
      "spec.nodeCountLimit",
      `spec.nodeCountLimit must be at least 1 (the most GPU nodes the whole set may use), got ${limit}`,
    );

  // A StatefulSetUpdateStrategy, which the CRD keeps as free-form: Kubernetes' own rules for it.
  const strategy = set.spec?.updateStrategy;
  if (strategy?.type !== undefined && strategy.type !== "RollingUpdate" && strategy.type !== "OnDelete")
    error(
      "spec.updateStrategy.type",
      `spec.updateStrategy.type must be RollingUpdate or OnDelete, got ${JSON.stringify(strategy.type)}`,
    );
  const maxUnavailable = strategy?.rollingUpdate?.maxUnavailable;
  if (maxUnavailable !== undefined && !isPositiveIntOrPercent(maxUnavailable))
    error(
      "spec.updateStrategy.rollingUpdate.maxUnavailable",
      `maxUnavailable must be a whole number of at least 1 or a percentage such as "25%", got ${JSON.stringify(maxUnavailable)}`,
    );

  const annotations = set.metadata?.annotations ?? {};
  const threshold = annotations[ScaledObjectAnnotation.Threshold];
  if (threshold !== undefined && !/^\d+$/.test(String(threshold).trim()))
    error(
      annotationPath(ScaledObjectAnnotation.Threshold),
      `${ScaledObjectAnnotation.Threshold} must be a non-negative integer, got ${JSON.stringify(threshold)}`,
    );
  const max = annotations[ScaledObjectAnnotation.MaxReplicas];
  if (max !== undefined && /^\d+$/.test(String(max).trim()) && typeof replicas === "number" && Number(max) < replicas)
    error(
      annotationPath(ScaledObjectAnnotation.MaxReplicas),
      `${ScaledObjectAnnotation.MaxReplicas} (${Number(max)}) is less than spec.replicas (${replicas}): the autoscaler would scale the set down at once`,
    );
  // The worker's reading needs string annotations, which only a sound structure guarantees.
  if (issues.length > 0 || !sound) return issues;

  // What the worker will make of the annotations, in the worker's own words.
  const request = readAutoscalingRequest(set, NODES_PER_REPLICA);
  if (request.requested && "error" in request) error(annotationPath(request.annotation), request.error);
  else if (!request.requested && Object.keys(annotations).some((k) => k.startsWith(SCALEDOBJECT_ANNOTATION_PREFIX)))
    issues.push({
      path: annotationPath(ScaledObjectAnnotation.AutoProvision),
      message: `The ${SCALEDOBJECT_ANNOTATION_PREFIX}* annotations do nothing until ${ScaledObjectAnnotation.AutoProvision} is "true"`,
      severity: "warning",
    });
  return issues;
}

/**
 * YAML text → an InferenceSet, with every problem at a field path and a source line: syntax, the
 * CRD's schema, the set's own rules, then the catalog rules on the Workspace its template makes.
 * The create page's live check and the create action both use it, so they say the same thing.
 */
export function validateInferenceSetDocument(text: string, schemaDir?: string): InferenceSetValidation {
  const read = readKaitoYaml(text, INFERENCESET_KIND);
  if (read.issues) return { inferenceSet: null, issues: read.issues };
  const { value, locate } = read;
  const set = value as unknown as InferenceSet;
  if (
    typeof set.apiVersion !== "string" ||
    !SUPPORTED_API_VERSIONS.includes(set.apiVersion) ||
    set.kind !== INFERENCESET_KIND
  )
    return {
      inferenceSet: null,
      issues: [
        locate({
          path: "apiVersion",
          message: `Expected kind InferenceSet with apiVersion ${SUPPORTED_API_VERSIONS.join(" or ")}`,
          severity: "error",
        }),
      ],
    };
  const structural = schemaIssues(getKaitoJsonSchema(INFERENCESET_KIND, set.apiVersion.split("/")[1], schemaDir), set);
  // The set's own rules are said beside the schema's (each field once), so a form with several
  // bad numbers shows them all at once; the template's catalog rules wait for a sound structure.
  const flagged = new Set(structural.map((i) => i.path));
  const setIssues = checkSetRules(set, structural.length === 0).filter((i) => !flagged.has(i.path));
  if (structural.length > 0) return { inferenceSet: set, issues: [...structural, ...setIssues].map(locate) };
  const verdict = validateWorkspace(templateAsWorkspace(set));
  const templateIssues = [...verdict.errors, ...verdict.warnings].flatMap((issue) => {
    const path = toSetPath(issue.path);
    return path === null ? [] : [{ ...issue, path }];
  });
  return { inferenceSet: set, issues: [...setIssues, ...templateIssues].map(locate) };
}
