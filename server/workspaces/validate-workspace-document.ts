import "server-only";

import { Ajv, type ErrorObject } from "ajv";

import { KAITO_GROUP, WORKSPACE_KIND, WORKSPACE_VERSIONS } from "@/lib/kaito/api";
import { lineOfPath, parseYamlWithPositions } from "@/lib/kaito/locate-yaml-path";
import { validateWorkspace } from "@/server/controller/validate-workspace";
import type { Workspace } from "@/server/kube/types/workspace";

import type { WorkspaceIssue } from "./check-workspace-catalog";
import { getWorkspaceJsonSchema, type JsonSchema } from "./workspace-json-schema";

export type LocatedIssue = WorkspaceIssue & { line: number };
export type DocumentValidation = { workspace: Workspace | null; issues: LocatedIssue[] };

// Newest first: the message names the version to write.
const SUPPORTED_API_VERSIONS = WORKSPACE_VERSIONS.map((version) => `${KAITO_GROUP}/${version}`).reverse();

const validators = new Map<JsonSchema, ReturnType<Ajv["compile"]>>();
function validatorFor(schema: JsonSchema) {
  let validate = validators.get(schema);
  if (!validate) {
    // No format checks: the CRDs' formats (int32, date-time) are the apiserver's to enforce.
    validate = new Ajv({ allErrors: true, strict: false, validateFormats: false }).compile(schema);
    validators.set(schema, validate);
  }
  return validate;
}

function ajvIssue(error: ErrorObject): WorkspaceIssue {
  // A JSON pointer: "/" inside a key (an annotation's) is written "~1", "~" as "~0".
  const base = error.instancePath
    .split("/")
    .filter(Boolean)
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"))
    .join(".");
  const join = (extra: string) => (base ? `${base}.${extra}` : extra);
  const label = base || "the document";
  switch (error.keyword) {
    case "required":
      return {
        path: join(error.params.missingProperty),
        message: `${join(error.params.missingProperty)} is required`,
        severity: "error",
      };
    case "additionalProperties":
      return {
        path: join(error.params.additionalProperty),
        message: `Unknown field "${error.params.additionalProperty}" in ${label}`,
        severity: "error",
      };
    case "enum":
      return {
        path: base,
        message: `${label} must be one of: ${error.params.allowedValues.join(", ")}`,
        severity: "error",
      };
    case "minimum":
      return { path: base, message: `${label} must be at least ${error.params.limit}`, severity: "error" };
    default:
      return { path: base, message: `${label} ${error.message ?? "is invalid"}`, severity: "error" };
  }
}

/** The problems of `value` against a CRD-derived JSON schema, by field path. */
export function schemaIssues(schema: JsonSchema, value: unknown): WorkspaceIssue[] {
  const validate = validatorFor(schema);
  return validate(value) ? [] : (validate.errors ?? []).map(ajvIssue);
}

type ReadDocument =
  | { value: Record<string, unknown>; locate: (issue: WorkspaceIssue) => LocatedIssue; issues?: undefined }
  | { value?: undefined; issues: LocatedIssue[] };

/**
 * The first steps of every Kaito document: YAML syntax (placed at its line), then an object;
 * `locate` places later problems at the line of their field path.
 */
export function readKaitoYaml(text: string, kind: string): ReadDocument {
  const parsed = parseYamlWithPositions(text);
  if (parsed.doc.errors.length > 0) {
    return {
      issues: parsed.doc.errors.map((e) => ({
        path: "",
        message: `YAML syntax: ${e.message.split("\n")[0]}`,
        severity: "error",
        line: parsed.lineCounter.linePos(e.pos[0]).line,
      })),
    };
  }
  const value = parsed.doc.toJS() as unknown;
  const locate = (issue: WorkspaceIssue): LocatedIssue => ({ ...issue, line: lineOfPath(parsed, issue.path) });
  if (!value || typeof value !== "object" || Array.isArray(value))
    return { issues: [locate({ path: "", message: `The document must be a ${kind} object`, severity: "error" })] };
  return { value: value as Record<string, unknown>, locate };
}

/**
 * YAML text → a Workspace, with every problem placed at a field path and a source line:
 * syntax first, then the CRD's schema, then the catalog rules. The same function serves the
 * editor's live markers and the create action, so both say the same thing.
 */
export function validateWorkspaceDocument(text: string, schemaDir?: string): DocumentValidation {
  const read = readKaitoYaml(text, WORKSPACE_KIND);
  if (read.issues) return { workspace: null, issues: read.issues };
  const { value, locate } = read;
  const ws = value as unknown as Workspace;
  if (!SUPPORTED_API_VERSIONS.includes(ws.apiVersion) || ws.kind !== WORKSPACE_KIND) {
    return {
      workspace: null,
      issues: [
        locate({
          path: "apiVersion",
          message: `Expected kind Workspace with apiVersion ${SUPPORTED_API_VERSIONS.join(" or ")}`,
          severity: "error",
        }),
      ],
    };
  }
  const structural = schemaIssues(getWorkspaceJsonSchema(ws.apiVersion.split("/")[1], schemaDir), ws);
  // Catalog rules on a structurally broken object would only repeat the schema's complaints.
  const verdict = structural.length === 0 ? validateWorkspace(ws) : { errors: [], warnings: [] };
  const catalogIssues = [...verdict.errors, ...verdict.warnings];
  const issues = [...structural, ...catalogIssues].map(locate);
  return { workspace: ws, issues };
}
