import "server-only";

import { parse } from "yaml";

import { INFERENCESET_KIND } from "@/lib/kaito/inferenceset";
import { validateInferenceSetDocument } from "@/server/inferencesets/validate-inferenceset-document";

import { validateWorkspaceDocument, type LocatedIssue } from "./validate-workspace-document";

/** The kind a document declares, or undefined when it cannot be read (the validation says why). */
function documentKind(text: string): string | undefined {
  try {
    const value = parse(text) as { kind?: unknown } | null;
    return typeof value?.kind === "string" ? value.kind : undefined;
  } catch {
    return undefined;
  }
}

/** The create page's live check: a Workspace, or an InferenceSet when the document says so. */
export function validateCreateDocument(text: string): LocatedIssue[] {
  return documentKind(text) === INFERENCESET_KIND
    ? validateInferenceSetDocument(text).issues
    : validateWorkspaceDocument(text).issues;
}
