import "server-only";

import { AppError } from "@/server/errors";

import type { LocatedIssue } from "./validate-workspace-document";

/**
 * A document's errors as one refusal: each message under its field path (a problem without a path
 * keeps its line), the first one as the headline. The browser places them at the form field or
 * the YAML line.
 */
export function documentIssuesError(errors: LocatedIssue[], fallback: string): AppError {
  const fieldErrors: Record<string, string[]> = {};
  for (const issue of errors)
    (fieldErrors[issue.path || "_"] ??= []).push(issue.path ? issue.message : `Line ${issue.line}: ${issue.message}`);
  const first = errors[0];
  return new AppError(
    "invalid_input",
    first ? `${first.path ? `${first.path}: ` : `Line ${first.line}: `}${first.message}` : fallback,
    { fieldErrors },
  );
}
