import { ScaledObjectAnnotation } from "@/lib/kaito/inferenceset";
import { lineOfPath, parseYamlWithPositions } from "@/lib/kaito/locate-yaml-path";

/** A problem with the document, at a field path and a YAML line. */
export type Issue = { path: string; line: number; message: string; severity: "error" | "warning" };

/** What a form section shows under its fields. */
export type FieldIssues = {
  errorsAt: (path: string) => string[];
  warningsAt: (path: string) => string[];
};

/**
 * The fields of the create form that show problems. A problem is shown at one field only:
 * the deepest one containing its path ("inference.preset.name" at Model, not also at "inference").
 */
const FORM_FIELDS = [
  "metadata.name",
  "metadata.namespace",
  "inference",
  "inference.preset.name",
  "inference.preset.presetOptions.modelAccessSecret",
  "inference.config",
  "resource.instanceType",
  "resource.count",
  "resource.labelSelector",
  // An InferenceSet's own fields (components/inferencesets/inference-set-fields.tsx).
  "spec.replicas",
  "spec.nodeCountLimit",
  "spec.updateStrategy",
  `metadata.annotations.${ScaledObjectAnnotation.MaxReplicas}`,
  `metadata.annotations.${ScaledObjectAnnotation.Threshold}`,
  `metadata.annotations.${ScaledObjectAnnotation.MetricName}`,
];

function fieldOf(path: string): string | undefined {
  const adapter = /^inference\.adapters\.(\d+)(\.|$)/.exec(path);
  if (adapter) return `inference.adapters.${adapter[1]}`;
  return FORM_FIELDS.filter((f) => path === f || path.startsWith(`${f}.`)).sort((a, b) => b.length - a.length)[0];
}

/** A refused submit's field errors as issues placed at their YAML lines. */
export function issuesFromFieldErrors(fieldErrors: Record<string, string[]>, yaml: string): Issue[] {
  const parsed = parseYamlWithPositions(yaml);
  return Object.entries(fieldErrors).flatMap(([key, messages]) =>
    messages.map((text) => {
      const path = key === "_" ? "" : key;
      // Problems without a field come back as "Line N: message".
      const fromLine = /^Line (\d+): (.*)$/s.exec(text);
      return {
        path,
        line: fromLine ? Number(fromLine[1]) : lineOfPath(parsed, path),
        message: fromLine ? fromLine[2] : text,
        severity: "error" as const,
      };
    }),
  );
}

/**
 * Live problems and those of a refused submit, each once: the server checks the same rules in
 * both places, so a submit usually repeats what the live check already said.
 */
export function mergeIssues(...lists: Issue[][]): Issue[] {
  const seen = new Set<string>();
  return lists.flat().filter((issue) => {
    const key = `${issue.severity}\u0000${issue.path}\u0000${issue.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export function fieldIssues(issues: Issue[]): FieldIssues {
  const at = (severity: Issue["severity"]) => (path: string) =>
    issues.filter((i) => i.severity === severity && fieldOf(i.path) === path).map((i) => i.message);
  return { errorsAt: at("error"), warningsAt: at("warning") };
}

/**
 * The problem list with the editor's own syntax error in it, once: the server reports the same
 * error with its line when its check has caught up, and then that one stands.
 */
export function withSyntaxError(issues: Issue[], syntaxError: string | null): Issue[] {
  if (!syntaxError || issues.some((i) => i.message.startsWith("YAML syntax"))) return issues;
  return [{ path: "", line: 0, message: `YAML syntax: ${syntaxError}`, severity: "error" }, ...issues];
}

/** "1 problem to fix first" — only errors block. */
export function countErrors(issues: Issue[]): number {
  return issues.filter((i) => i.severity === "error").length;
}
