import "server-only";

import { DNS_LABEL_MESSAGE, isDnsLabel } from "@/lib/kaito/names";
import { AppError } from "@/server/errors";

/**
 * PromQL built from user input goes through here: every name must be a DNS-1123 label (which
 * cannot hold a quote, a backslash, a brace or a regex metacharacter other than '-') and is then
 * quoted as a PromQL string anyway, so a value can only ever be a label value.
 */
export function dnsLabel(field: string, value: string): string {
  if (!isDnsLabel(value))
    throw new AppError("invalid_input", `${field} ${DNS_LABEL_MESSAGE}`, {
      fieldErrors: { [field]: [DNS_LABEL_MESSAGE] },
    });
  return value;
}

/** A PromQL double-quoted string literal. */
export function quote(value: string): string {
  return `"${value.replaceAll("\\", "\\\\").replaceAll('"', '\\"').replaceAll("\n", "\\n")}"`;
}

/** `{k="v",…}` from already-validated values; `=~` for entries given as { regex }. */
export function selector(labels: Record<string, string | { regex: string }>): string {
  const parts = Object.entries(labels).map(([key, value]) =>
    typeof value === "string" ? `${key}=${quote(value)}` : `${key}=~${quote(value.regex)}`,
  );
  return `{${parts.join(",")}}`;
}

/** The series of one Workspace's inference pods (the target labels a PodMonitor gives them). */
export function workspaceSelector(namespace: string, name: string): string {
  return selector({ namespace: dnsLabel("namespace", namespace), workspace: dnsLabel("name", name) });
}

/**
 * The GPUs of one Workspace's pods as dcgm-exporter labels them: pod names are the StatefulSet's
 * `<workspace>-<ordinal>`, which no other Workspace's pod can match (a DNS label has no '.' and
 * `<workspace>-x-0` has a second '-').
 */
export function workspaceGpuSelector(namespace: string, name: string): string {
  return selector({ namespace: dnsLabel("namespace", namespace), pod: { regex: `${dnsLabel("name", name)}-[0-9]+` } });
}

/**
 * The series of several Workspaces of one namespace (an InferenceSet's children): an alternation
 * of DNS labels, which hold no regex metacharacter but '-'. At least one name.
 */
export function workspacesSelector(namespace: string, names: readonly string[]): string {
  return selector({ namespace: dnsLabel("namespace", namespace), workspace: { regex: alternation(names) } });
}

/** Their GPUs by pod (`<workspace>-<ordinal>`), as workspaceGpuSelector for one. */
export function workspacesGpuSelector(namespace: string, names: readonly string[]): string {
  return selector({ namespace: dnsLabel("namespace", namespace), pod: { regex: `(${alternation(names)})-[0-9]+` } });
}

function alternation(names: readonly string[]): string {
  if (names.length === 0) throw new AppError("invalid_input", "at least one Workspace is needed for a selector");
  return names.map((n) => dnsLabel("name", n)).join("|");
}
