import { parseDocument, stringify } from "yaml";

import { WORKSPACE_API_VERSION, WORKSPACE_KIND } from "@/lib/kaito/api";
import { DEFAULT_REPLICAS, INFERENCESET_API_VERSION, INFERENCESET_KIND } from "@/lib/kaito/inferenceset";

import type { DraftObject, DraftPath } from "../workspaces/workspace-draft";
import type { Issue } from "../workspaces/workspace-issues";

/** An InferenceSet as the create form reads it (the YAML stays the source). */
export type InferenceSetDraft = {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string; namespace?: string; annotations?: Record<string, string> };
  spec?: {
    replicas?: number;
    nodeCountLimit?: number;
    updateStrategy?: { type?: string; rollingUpdate?: { maxUnavailable?: number | string } };
    labelSelector?: { matchLabels?: Record<string, string> };
    template?: {
      metadata?: { annotations?: Record<string, string> };
      resource?: { instanceType?: string; partition?: unknown };
      inference?: DraftObject["inference"];
    };
  };
};

export const isInferenceSetDraft = (draft: { kind?: string }) => draft.kind === INFERENCESET_KIND;

/**
 * The Workspace each replica will be, as the Workspace form's sections read it: the set's name,
 * the template's model, instance type and annotations, the set's node selector. The sections
 * then work on a set unchanged, through the path mapping below.
 */
export function workspaceView(set: InferenceSetDraft): DraftObject {
  const template = set.spec?.template;
  return {
    metadata: {
      name: set.metadata?.name,
      namespace: set.metadata?.namespace,
      annotations: template?.metadata?.annotations,
    },
    resource: { instanceType: template?.resource?.instanceType, labelSelector: set.spec?.labelSelector },
    inference: template?.inference,
  };
}

/**
 * A Workspace form path → where the same thing sits in a set; null for what a set's template
 * has not (node count, preferred nodes). Annotations the Workspace form sets (runtime, GPU check,
 * load balancer) are the children's, so they go into the template.
 */
export function inferenceSetPath(path: DraftPath): DraftPath | null {
  const [head, next] = path;
  if (head === "resource" && next === "labelSelector") return ["spec", ...path.slice(1)];
  if (head === "resource" && (next === "count" || next === "preferredNodes")) return null;
  if (head === "resource" || head === "inference") return ["spec", "template", ...path];
  if (head === "metadata" && next === "annotations") return ["spec", "template", ...path];
  return path;
}

/** A set's problem path → the Workspace form field that shows it (its own fields keep their paths). */
function viewPath(path: string): string {
  if (path.startsWith("spec.labelSelector")) return `resource.${path.slice(5)}`;
  if (path.startsWith("spec.template.")) return path.slice(14);
  return path;
}

/** The issues as the shared sections look them up; the problem list keeps the set's own paths. */
export function viewIssues(issues: Issue[]): Issue[] {
  return issues.map((issue) => ({ ...issue, path: viewPath(issue.path) }));
}

function read(yaml: string): Record<string, unknown> | null {
  const doc = parseDocument(yaml);
  const value = doc.errors.length > 0 ? null : (doc.toJS() as unknown);
  return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}

/**
 * The kind switch: the same model, instance type, selector and annotations as a set of
 * `replicas` identical Workspaces. Fields a set's template has not (count, preferred nodes) go.
 */
export function workspaceYamlToInferenceSet(yaml: string): string | null {
  const ws = read(yaml) as DraftObject | null;
  if (!ws) return null;
  const annotations = ws.metadata?.annotations;
  return stringify({
    apiVersion: INFERENCESET_API_VERSION,
    kind: INFERENCESET_KIND,
    metadata: { name: ws.metadata?.name, namespace: ws.metadata?.namespace },
    spec: {
      replicas: DEFAULT_REPLICAS,
      labelSelector: ws.resource?.labelSelector,
      template: {
        ...(annotations && Object.keys(annotations).length > 0 ? { metadata: { annotations } } : {}),
        resource: { instanceType: ws.resource?.instanceType },
        inference: ws.inference,
      },
    },
  });
}

/** Back from a set to one Workspace made from its template; the set's own fields go. */
export function inferenceSetYamlToWorkspace(yaml: string): string | null {
  const set = read(yaml) as InferenceSetDraft | null;
  if (!set) return null;
  const view = workspaceView(set);
  return stringify({ apiVersion: WORKSPACE_API_VERSION, kind: WORKSPACE_KIND, ...view });
}
