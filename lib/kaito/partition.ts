/**
 * `resource.partition` (v1beta1): a Workspace on bring-your-own nodes that takes a slice of a GPU
 * (NVIDIA MIG, `mode: mig` with a `profile`) or a number of whole GPUs (`mode: accelerator` with a
 * `count`). Rules and messages are upstream v0.12's (api/v1beta1/workspace_validation.go and
 * pkg/utils/mig), docs/kaito-api.md §2.
 */
import { RESOURCE_GPU } from "./labels";

export type PartitionSpec = { mode?: string; profile?: string; count?: number };

export const PartitionMode = { MIG: "mig", Accelerator: "accelerator" } as const;

/** NVIDIA's MIG profiles that upstream knows, by GPU (A30, A100 40/80 GB, H100 80/94/96 GB, H200, B200). */
export const KNOWN_MIG_PROFILES: readonly string[] = [
  ...["1g.6gb", "2g.12gb", "4g.24gb"],
  ...["1g.5gb", "2g.10gb", "3g.20gb", "4g.20gb", "7g.40gb"],
  ...["1g.10gb", "1g.20gb", "2g.20gb", "3g.40gb", "4g.40gb", "7g.80gb"],
  ...["1g.12gb", "1g.24gb", "2g.24gb", "3g.47gb", "4g.47gb", "7g.94gb"],
  ...["3g.48gb", "4g.48gb", "7g.96gb"],
  ...["1g.18gb", "1g.35gb", "2g.35gb", "3g.71gb", "4g.71gb", "7g.141gb"],
  ...["1g.23gb", "1g.45gb", "2g.45gb", "3g.90gb", "4g.90gb", "7g.180gb"],
].sort();

export const MIG_RESOURCE_PREFIX = "nvidia.com/mig-";

export type PartitionIssue = { path: string; message: string };

/** The memory of one MIG slice in GiB ("3g.40gb" → 40), or a reason the profile is not one. */
export function migSliceGiB(profile: string): { gib: number } | { error: string } {
  const match = /^(\d+)g\.([\d.]+)gb$/.exec(profile);
  if (!match) return { error: `invalid MIG profile format "${profile}": expected format like '1g.10gb'` };
  if (Number(match[1]) === 0) return { error: `invalid MIG profile "${profile}": compute slices must be > 0` };
  const gib = Math.floor(Number(match[2]));
  if (!gib) return { error: `invalid MIG profile "${profile}": memory must be > 0` };
  if (!KNOWN_MIG_PROFILES.includes(profile))
    return { error: `unknown MIG profile "${profile}": must be one of [${KNOWN_MIG_PROFILES.join(" ")}]` };
  return { gib };
}

/**
 * Upstream's checks of a partition. `weightsGiB` is the preset's weight size when known: a MIG
 * slice smaller than the weights can never hold the model (unless resource checks are bypassed).
 */
export function checkPartition(
  partition: PartitionSpec,
  context: { tuning: boolean; presetName?: string; weightsGiB?: number; bypassResourceChecks: boolean },
): PartitionIssue[] {
  const at = (field: string) => `resource.partition${field ? `.${field}` : ""}`;
  if (context.tuning) return [{ path: at(""), message: "GPU partitioning is not supported for tuning workloads" }];
  if (partition.mode === PartitionMode.MIG) {
    if (partition.count !== undefined)
      return [{ path: at("count"), message: "count is only valid for accelerator mode" }];
    const slice = migSliceGiB(partition.profile ?? "");
    if ("error" in slice) return [{ path: at("profile"), message: slice.error }];
    if (context.weightsGiB !== undefined && slice.gib < context.weightsGiB && !context.bypassResourceChecks)
      return [
        {
          path: at(""),
          message: `Model ${context.presetName} requires at least ${context.weightsGiB}Gi for weights, which exceeds the ${partition.profile} MIG slice capacity of ${slice.gib}Gi`,
        },
      ];
    return [];
  }
  if (partition.mode === PartitionMode.Accelerator) {
    const issues: PartitionIssue[] = [];
    if (partition.profile) issues.push({ path: at("profile"), message: "profile is not valid for accelerator mode" });
    if (partition.count === undefined) issues.push({ path: at("count"), message: "missing field(s): partition.count" });
    return issues;
  }
  return [
    {
      path: at("mode"),
      message: `unsupported partition mode "${partition.mode ?? ""}", supported modes are "mig" and "accelerator"`,
    },
  ];
}

/** What each pod asks of its node: one MIG device of the profile, or `count` whole GPUs. */
export function partitionResource(partition: PartitionSpec): { name: string; quantity: number } {
  return partition.mode === PartitionMode.MIG
    ? { name: `${MIG_RESOURCE_PREFIX}${partition.profile}`, quantity: 1 }
    : { name: RESOURCE_GPU, quantity: partition.count ?? 1 };
}

/** "MIG 3g.40gb" or "2 whole GPUs": how the UI names a partition. */
export function describePartition(partition: PartitionSpec): string {
  if (partition.mode === PartitionMode.MIG) return `MIG ${partition.profile ?? "?"}`;
  const count = partition.count ?? 1;
  return `${count} whole GPU${count === 1 ? "" : "s"} (accelerator)`;
}
