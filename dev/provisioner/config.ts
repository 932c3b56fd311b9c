import "server-only";

import { z } from "zod";

import { parseEnv } from "@/server/env";

const skuList = z
  .string()
  .optional()
  .transform((v) =>
    (v ?? "")
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean),
  );

const schema = z.object({
  /** Time between a NodeClaim's creation and its Node's launch (a real VM takes minutes). */
  PROVISIONER_DELAY_MS: z.coerce.number().int().min(0).default(3000),
  /** SKUs that fail with InsufficientCapacity, as when a region has none left. */
  PROVISIONER_UNAVAILABLE_SKUS: skuList,
  /** SKUs that fail because the subscription's GPU quota is used up. */
  PROVISIONER_QUOTA_EXCEEDED_SKUS: skuList,
  /** ConfigMap (namespace/name) whose keys unavailableSkus / quotaExceededSkus add faults at run time. */
  PROVISIONER_FAULTS_CONFIGMAP: z.string().default("kube-system/gpu-provisioner-faults"),
});

export type ProvisionerConfig = z.infer<typeof schema>;

export function readProvisionerConfig(env: NodeJS.ProcessEnv = process.env): ProvisionerConfig {
  return parseEnv("GPU provisioner double", schema, env);
}
