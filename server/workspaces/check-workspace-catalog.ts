import "server-only";

import { checkGpuFit } from "@/lib/kaito/gpu-fit";
import { findSku, isUnknownButPlausibleSku } from "@/lib/kaito/gpu-skus";
import { ANNOTATION_BYPASS_RESOURCE_CHECKS, RESERVED_ONLY_SELECTOR_MESSAGE, userMatchLabels } from "@/lib/kaito/labels";
import { isDnsLabel, isDnsSubdomain } from "@/lib/kaito/names";
import { checkPartition } from "@/lib/kaito/partition";
import { checkModelName, findPreset } from "@/lib/kaito/presets";
import type { Workspace } from "@/server/kube/types/workspace";

export type WorkspaceIssue = { path: string; message: string; severity: "error" | "warning" };

/**
 * The rules the CRD schema cannot express because they need the catalog: preset known, SKU
 * known, GPU memory enough, HuggingFace token present for gated models. Messages are Kaito's
 * own wording where upstream has one, because users search for them.
 */
export function checkWorkspaceCatalog(ws: Workspace): WorkspaceIssue[] {
  const issues: WorkspaceIssue[] = [];
  const error = (path: string, message: string) => issues.push({ path, message, severity: "error" });
  const warn = (path: string, message: string) => issues.push({ path, message, severity: "warning" });

  const name = ws.metadata?.name ?? "";
  if (name && !isDnsLabel(name))
    error(
      "metadata.name",
      `Name ${name} must be a DNS-1123 label: lower-case letters, digits and '-', at most 63 characters`,
    );

  if (ws.inference && ws.tuning) error("tuning", "Either Inference or Tuning can be specified, but not both");
  if (!ws.inference && !ws.tuning) error("inference", "Either Inference or Tuning must be specified, not neither");

  const presetPath = ws.inference ? "inference.preset" : "tuning.preset";
  const presetName = ws.inference?.preset?.name ?? ws.tuning?.preset?.name;
  if (ws.inference && !ws.inference.preset === !ws.inference.template)
    error("inference.preset", "Exactly one of preset or template must be specified");

  const instanceType = ws.resource?.instanceType ?? "";
  const partition = ws.resource?.partition;
  // A partition runs on bring-your-own nodes, where upstream wants no instance type.
  if (!instanceType) {
    if (!partition) error("resource.instanceType", "Choose an instance type (GPU SKU)");
  } else if (!findSku(instanceType)) {
    if (isUnknownButPlausibleSku(instanceType))
      warn(
        "resource.instanceType",
        `Instance type ${instanceType} is not in the catalog: GPU memory cannot be checked`,
      );
    else error("resource.instanceType", `Unsupported instance type ${instanceType}: pick one from the GPU catalog`);
  }

  const bypass = ws.metadata?.annotations?.[ANNOTATION_BYPASS_RESOURCE_CHECKS] !== undefined;
  if (partition)
    for (const issue of checkPartition(partition, {
      tuning: !!ws.tuning,
      presetName,
      weightsGiB: presetName === undefined ? undefined : findPreset(presetName)?.weightsGiB,
      bypassResourceChecks: bypass,
    }))
      error(issue.path, issue.message);

  if (presetName !== undefined) {
    const nameCheck = checkModelName(presetName);
    if (!nameCheck.ok) error(`${presetPath}.name`, nameCheck.message);
    else if (!nameCheck.preset)
      warn(
        `${presetPath}.name`,
        `${presetName} is not a preset: it is served best effort and its GPU memory need is unknown`,
      );
    // With a partition the slice, not the instance type, bounds the memory (checkPartition below).
    if (!partition && nameCheck.ok && instanceType && findSku(instanceType) && !bypass) {
      const fit = checkGpuFit(presetName, instanceType, ws.resource?.count ?? 1);
      if (fit.kind === "too-small") error("resource.instanceType", fit.message);
    }
    const preset = findPreset(presetName);
    if (preset?.needsHfToken && ws.inference && !ws.inference.preset?.presetOptions?.modelAccessSecret)
      error(
        "inference.preset.presetOptions.modelAccessSecret",
        `Model ${presetName} is gated on HuggingFace: name a Secret holding HF_TOKEN in presetOptions.modelAccessSecret`,
      );
    if (preset && ws.tuning && !preset.tuning)
      error(`${presetPath}.name`, `Preset ${presetName} does not support tuning`);
  }

  // Upstream refuses only a non-empty matchLabels of reserved keys; an empty one is refused here
  // too, because a selector without labels of the user's own would take any GPU node.
  if (Object.keys(userMatchLabels(ws.resource?.labelSelector)).length === 0)
    error("resource.labelSelector.matchLabels", RESERVED_ONLY_SELECTOR_MESSAGE);

  const adapters = ws.inference?.adapters ?? [];
  if (adapters.length > 10) error("inference.adapters", "At most 10 adapters are allowed");
  const seen = new Set<string>();
  adapters.forEach((adapter, i) => {
    const adapterName = adapter.source?.name ?? "";
    if (!isDnsSubdomain(adapterName))
      error(`inference.adapters.${i}.source.name`, `Adapter name "${adapterName}" must be a DNS-1123 subdomain`);
    if (seen.has(adapterName))
      error(`inference.adapters.${i}.source.name`, `Adapter name ${adapterName} is used twice`);
    seen.add(adapterName);
    if (adapter.strength !== undefined) {
      const strength = Number(adapter.strength);
      if (adapter.strength === "" || Number.isNaN(strength) || strength < 0 || strength > 1)
        error(
          `inference.adapters.${i}.strength`,
          `Strength must be a number between 0 and 1 written as a string, got "${adapter.strength}"`,
        );
    }
  });
  return issues;
}
