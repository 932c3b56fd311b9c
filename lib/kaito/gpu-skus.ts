/** A GPU instance type as the node provisioner knows it. Memory figures are whole-node totals. */
export type GpuSku = {
  name: string;
  cloud: "azure" | "aws";
  gpuModel: string;
  /** NVIDIA GFD `nvidia.com/gpu.product` label value; the provisioner double sets it for every accelerator. */
  gpuProduct: string;
  gpuCount: number;
  totalGpuMemoryGiB: number;
  cpu: number;
  memoryGiB: number;
  /**
   * Gone from upstream Kaito's SKU list (v0.12 refuses it as "Unsupported SKU"). Kaito's own
   * examples and this project's seed still use Standard_NC6s_v3, and v0.11 still took T4 and M60
   * sizes, so such SKUs keep working here, marked in the form (docs/kaito-api.md §4).
   */
  deprecatedUpstream: boolean;
};

type Row = [string, GpuSku["cloud"], string, string, number, number, number, number];

/**
 * V100 (NCv3) rows: gone from upstream's list before v0.12, kept for the seed and Kaito's older
 * examples, which use Standard_NC6s_v3.
 */
const seedRows: Row[] = [
  ["Standard_NC6s_v3", "azure", "V100", "Tesla-V100-PCIE-16GB", 1, 16, 6, 112],
  ["Standard_NC12s_v3", "azure", "V100", "Tesla-V100-PCIE-16GB", 2, 32, 12, 224],
  ["Standard_NC24s_v3", "azure", "V100", "Tesla-V100-PCIE-16GB", 4, 64, 24, 448],
  ["Standard_NC24rs_v3", "azure", "V100", "Tesla-V100-PCIE-16GB", 4, 64, 24, 448],
];

/**
 * Upstream v0.12's Azure and AWS SKU handlers (pkg/sku): name, GPU count and total GPU memory as
 * upstream has them; vCPU and memory from the clouds' size tables. v0.12 keeps only GPUs of CUDA
 * compute capability 8.0 or newer (Ampere on), plus the AMD, Trainium and Inferentia sizes.
 */
const rows: Row[] = [
  ["Standard_NV36ads_A10_v5", "azure", "A10", "NVIDIA-A10", 1, 24, 36, 440],
  ["Standard_NV72ads_A10_v5", "azure", "A10", "NVIDIA-A10", 2, 48, 72, 880],
  ["Standard_NC24ads_A100_v4", "azure", "A100", "NVIDIA-A100-80GB-PCIe", 1, 80, 24, 220],
  ["Standard_NC48ads_A100_v4", "azure", "A100", "NVIDIA-A100-80GB-PCIe", 2, 160, 48, 440],
  ["Standard_NC96ads_A100_v4", "azure", "A100", "NVIDIA-A100-80GB-PCIe", 4, 320, 96, 880],
  ["Standard_ND96asr_A100_v4", "azure", "A100", "NVIDIA-A100-SXM4-40GB", 8, 320, 96, 900],
  ["Standard_ND96amsr_A100_v4", "azure", "A100", "NVIDIA-A100-SXM4-80GB", 8, 640, 96, 1900],
  ["Standard_NC40ads_H100_v5", "azure", "H100", "NVIDIA-H100-NVL", 1, 94, 40, 320],
  ["Standard_NC80adis_H100_v5", "azure", "H100", "NVIDIA-H100-NVL", 2, 188, 80, 640],
  ["Standard_ND96isr_H100_v5", "azure", "H100", "NVIDIA-H100-80GB-HBM3", 8, 640, 96, 1900],
  ["Standard_NCC40ads_H100_v5", "azure", "H100", "NVIDIA-H100-NVL", 1, 94, 40, 320],
  ["Standard_ND96isr_H200_v5", "azure", "H200", "NVIDIA-H200", 8, 1128, 96, 1850],
  ["Standard_NG32ads_V620_v1", "azure", "Radeon PRO V620", "AMD-Radeon-PRO-V620", 1, 32, 32, 64],
  ["Standard_NG32adms_V620_v1", "azure", "Radeon PRO V620", "AMD-Radeon-PRO-V620", 1, 32, 32, 176],
  ["Standard_NV32as_v4", "azure", "Radeon Instinct MI25", "AMD-Radeon-Instinct-MI25", 1, 16, 32, 112],
  ["p4d.24xlarge", "aws", "A100", "NVIDIA-A100-SXM4-40GB", 8, 320, 96, 1152],
  ["p4de.24xlarge", "aws", "A100", "NVIDIA-A100-SXM4-80GB", 8, 640, 96, 1152],
  ["p5.48xlarge", "aws", "H100", "NVIDIA-H100-80GB-HBM3", 8, 640, 192, 2048],
  ["p5e.48xlarge", "aws", "H200", "NVIDIA-H200", 8, 1128, 192, 2048],
  ["p5en.48xlarge", "aws", "H200", "NVIDIA-H200", 8, 1128, 192, 2048],
  ["g6.xlarge", "aws", "L4", "NVIDIA-L4", 1, 24, 4, 16],
  ["g6.2xlarge", "aws", "L4", "NVIDIA-L4", 1, 24, 8, 32],
  ["g6.4xlarge", "aws", "L4", "NVIDIA-L4", 1, 24, 16, 64],
  ["g6.8xlarge", "aws", "L4", "NVIDIA-L4", 1, 24, 32, 128],
  ["g6.16xlarge", "aws", "L4", "NVIDIA-L4", 1, 24, 64, 256],
  ["gr6.4xlarge", "aws", "L4", "NVIDIA-L4", 1, 24, 16, 128],
  ["gr6.8xlarge", "aws", "L4", "NVIDIA-L4", 1, 24, 32, 256],
  ["g6.12xlarge", "aws", "L4", "NVIDIA-L4", 4, 96, 48, 192],
  ["g6.24xlarge", "aws", "L4", "NVIDIA-L4", 4, 96, 96, 384],
  ["g6.48xlarge", "aws", "L4", "NVIDIA-L4", 8, 192, 192, 768],
  ["g5.xlarge", "aws", "A10G", "NVIDIA-A10G", 1, 24, 4, 16],
  ["g5.2xlarge", "aws", "A10G", "NVIDIA-A10G", 1, 24, 8, 32],
  ["g5.4xlarge", "aws", "A10G", "NVIDIA-A10G", 1, 24, 16, 64],
  ["g5.8xlarge", "aws", "A10G", "NVIDIA-A10G", 1, 24, 32, 128],
  ["g5.12xlarge", "aws", "A10G", "NVIDIA-A10G", 4, 96, 48, 192],
  ["g5.16xlarge", "aws", "A10G", "NVIDIA-A10G", 1, 24, 64, 256],
  ["g5.24xlarge", "aws", "A10G", "NVIDIA-A10G", 4, 96, 96, 384],
  ["g5.48xlarge", "aws", "A10G", "NVIDIA-A10G", 8, 192, 192, 768],
  ["g4ad.xlarge", "aws", "Radeon Pro V520", "AMD-Radeon-Pro-V520", 1, 8, 4, 16],
  ["g4ad.2xlarge", "aws", "Radeon Pro V520", "AMD-Radeon-Pro-V520", 1, 8, 8, 32],
  ["g4ad.4xlarge", "aws", "Radeon Pro V520", "AMD-Radeon-Pro-V520", 1, 8, 16, 64],
  ["g4ad.8xlarge", "aws", "Radeon Pro V520", "AMD-Radeon-Pro-V520", 2, 16, 32, 128],
  ["g4ad.16xlarge", "aws", "Radeon Pro V520", "AMD-Radeon-Pro-V520", 4, 32, 64, 256],
  // Upstream counts Trainium and Inferentia chips as GPUs, each with its device memory.
  ["trn1.2xlarge", "aws", "Trainium", "AWS-Trainium", 1, 32, 8, 32],
  ["trn1.32xlarge", "aws", "Trainium", "AWS-Trainium", 16, 512, 128, 512],
  ["trn1n.32xlarge", "aws", "Trainium", "AWS-Trainium", 16, 512, 128, 512],
  ["inf2.xlarge", "aws", "Inferentia2", "AWS-Inferentia2", 1, 32, 4, 16],
  ["inf2.8xlarge", "aws", "Inferentia2", "AWS-Inferentia2", 1, 32, 32, 128],
  ["inf2.24xlarge", "aws", "Inferentia2", "AWS-Inferentia2", 6, 192, 96, 384],
  ["inf2.48xlarge", "aws", "Inferentia2", "AWS-Inferentia2", 12, 384, 192, 768],
];

/**
 * T4 (NCasT4_v3) and M60 (NVv3) rows: v0.11 still supported them, v0.12 dropped every GPU older than
 * Ampere. Kept so that Workspaces made for v0.11 still run here.
 */
const retiredRows: Row[] = [
  ["Standard_NC4as_T4_v3", "azure", "T4", "Tesla-T4", 1, 16, 4, 28],
  ["Standard_NC8as_T4_v3", "azure", "T4", "Tesla-T4", 1, 16, 8, 56],
  ["Standard_NC16as_T4_v3", "azure", "T4", "Tesla-T4", 1, 16, 16, 110],
  ["Standard_NC64as_T4_v3", "azure", "T4", "Tesla-T4", 4, 64, 64, 440],
  ["Standard_NV12s_v3", "azure", "M60", "Tesla-M60", 1, 8, 12, 112],
  ["Standard_NV24s_v3", "azure", "M60", "Tesla-M60", 2, 16, 24, 224],
  ["Standard_NV48s_v3", "azure", "M60", "Tesla-M60", 4, 32, 48, 448],
];

const toSku =
  (deprecatedUpstream: boolean) =>
  ([name, cloud, gpuModel, gpuProduct, gpuCount, totalGpuMemoryGiB, cpu, memoryGiB]: Row): GpuSku => ({
    name,
    cloud,
    gpuModel,
    gpuProduct,
    gpuCount,
    totalGpuMemoryGiB,
    cpu,
    memoryGiB,
    deprecatedUpstream,
  });

/** The seed's Standard_NC6s_v3 first, where people look for it; the other retired sizes last. */
export const GPU_SKUS: readonly GpuSku[] = [
  ...seedRows.map(toSku(true)),
  ...rows.map(toSku(false)),
  ...retiredRows.map(toSku(true)),
];

const byName = new Map(GPU_SKUS.map((s) => [s.name, s]));

export function findSku(name: string): GpuSku | undefined {
  return byName.get(name);
}

/** Upstream lets unknown Azure GPU-family names through with a warning instead of rejecting them. */
export function isUnknownButPlausibleSku(name: string): boolean {
  return !byName.has(name) && /^Standard_(N|D)/.test(name);
}

export function gpuMemoryPerGpuMiB(sku: GpuSku): number {
  return Math.round((sku.totalGpuMemoryGiB * 1024) / sku.gpuCount);
}
