import "server-only";

import { isIP } from "node:net";

import type { Workspace } from "@/server/kube/types/workspace";
import { checkWorkspaceCatalog, type WorkspaceIssue } from "@/server/workspaces/check-workspace-catalog";

import type { ProvisionerMode } from "./evaluate-nodes";

export type { WorkspaceIssue };

export type WorkspaceValidation = { errors: WorkspaceIssue[]; warnings: WorkspaceIssue[] };

const BLOCKED_HOSTNAMES = new Set(["localhost", "metadata", "metadata.google.internal", "metadata.azure.internal"]);

/**
 * True when a URL's literal host is loopback, private, link-local or a cloud metadata address.
 * Only the literal is checked: validation must not depend on DNS (docs/kaito-api.md §2).
 */
export function isInternalHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, "").toLowerCase();
  if (BLOCKED_HOSTNAMES.has(host) || host.endsWith(".localhost") || host.endsWith(".internal")) return true;
  if (isIP(host) === 4) {
    const [a, b] = host.split(".").map(Number);
    return (
      a === 0 ||
      a === 10 ||
      a === 127 ||
      (a === 169 && b === 254) ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) ||
      (a === 100 && b >= 64 && b <= 127)
    );
  }
  if (isIP(host) === 6) {
    if (host === "::1" || host === "::") return true;
    if (host.startsWith("::ffff:")) return isInternalHost(host.slice(7));
    return /^(fc|fd|fe8|fe9|fea|feb)/.test(host);
  }
  return false;
}

function checkTuning(ws: Workspace): WorkspaceIssue[] {
  const tuning = ws.tuning;
  if (!tuning) return [];
  const issues: WorkspaceIssue[] = [];
  const error = (path: string, message: string) => issues.push({ path, message, severity: "error" });
  if (!tuning.preset) error("tuning.preset", "Tuning needs a preset");
  if (tuning.method !== "lora" && tuning.method !== "qlora")
    error("tuning.method", `Tuning method must be lora or qlora, got "${tuning.method ?? ""}"`);
  if ((ws.resource?.count ?? 1) !== 1)
    error("resource.count", "Tuning runs on exactly one node: resource.count must be 1");
  const input = tuning.input ?? {};
  const sources = [
    input.urls?.length ? "urls" : null,
    input.image ? "image" : null,
    input.volumeSource ? "volumeSource" : null,
  ];
  if (sources.filter(Boolean).length !== 1)
    error("tuning.input", "Tuning input needs exactly one of urls, image or volumeSource");
  (input.urls ?? []).forEach((raw, i) => {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      error(`tuning.input.urls.${i}`, `"${raw}" is not a URL`);
      return;
    }
    if (url.protocol !== "http:" && url.protocol !== "https:")
      error(`tuning.input.urls.${i}`, `URL ${raw} must use http or https`);
    else if (isInternalHost(url.hostname))
      error(
        `tuning.input.urls.${i}`,
        `URL host ${url.hostname} is loopback, private, link-local or a metadata address`,
      );
  });
  const output = tuning.output ?? {};
  if (!output.image === !output.volumeSource)
    error("tuning.output", "Tuning output needs exactly one of image or volumeSource");
  if (output.image && !output.imagePushSecret)
    error("tuning.output.imagePushSecret", "An output image needs imagePushSecret to push the tuned adapter");
  return issues;
}

/**
 * Everything the controller checks before it creates anything: the catalog rules shared with
 * the create form (server/workspaces/check-workspace-catalog.ts) plus the tuning input/output
 * rules. The dashboard's form and YAML editor call the same function, so a Workspace the form
 * accepts is one the controller accepts.
 */
export function validateWorkspace(ws: Workspace, mode?: ProvisionerMode): WorkspaceValidation {
  const issues = [...checkWorkspaceCatalog(ws), ...checkTuning(ws)];
  // Only the worker knows whether it provisions nodes; the form leaves this check to it.
  if (mode === "nodeclaim" && ws.resource?.partition && !ws.tuning)
    issues.push({
      path: "resource.partition",
      message: "GPU partitioning is only supported with BYO nodes (disableNodeAutoProvisioning=true)",
      severity: "error",
    });
  return {
    errors: issues.filter((i) => i.severity === "error"),
    warnings: issues.filter((i) => i.severity === "warning"),
  };
}
