import { lineOfPath, parseYamlWithPositions } from "@/lib/kaito/locate-yaml-path";

/** A problem with the document, at a field path and a YAML line. */
export type Issue = { path: string; line: number; message: string; severity: "error" | "warning" };

/** What a form section shows under its fields. */
export type FieldIssues = {
  errorsAt: (path: string) => string[];
  warningsAt: (path: string) => string[];
};

/** A refused submit's field errors as issues placed at their YAML lines. */
export function issuesFromFieldErrors(fieldErrors: Record<string, string[]>, yaml: string): Issue[] {
  const parsed = parseYamlWithPositions(yaml);
  return Object.entries(fieldErrors).flatMap(([path, messages]) =>
    messages.map((message) => {
      const fromLine = /^Line (\d+): /.exec(message);
      return {
        path: path === "_" ? "" : path,
        line: fromLine ? Number(fromLine[1]) : lineOfPath(parsed, path === "_" ? "" : path),
        message,
        severity: "error" as const,
      };
    }),
  );
}

export function fieldIssues(issues: Issue[]): FieldIssues {
  return {
    errorsAt: (path) =>
      issues
        .filter((i) => i.severity === "error" && (i.path === path || i.path.startsWith(`${path}.`)))
        .map((i) => i.message),
    warningsAt: (path) => issues.filter((i) => i.severity === "warning" && i.path === path).map((i) => i.message),
  };
}
