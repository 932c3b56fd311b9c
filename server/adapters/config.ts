import "server-only";

import path from "node:path";
import { z } from "zod";
import { parseEnv } from "@/server/env";

const schema = z.object({
  ADAPTER_REGISTRY_URL: z.url().default("http://127.0.0.1:5002"),
  /** Repositories are `<prefix><adapter name>`, e.g. `kaito-adapters/my-lora`. */
  ADAPTER_REGISTRY_REPOSITORY_PREFIX: z
    .string()
    .regex(/^([a-z0-9]+([._-][a-z0-9]+)*\/)*$/, "must be empty or lower-case path segments ending in /")
    .default("kaito-adapters/"),
  ADAPTER_REGISTRY_USERNAME: z.string().optional(),
  ADAPTER_REGISTRY_PASSWORD: z.string().optional(),
  /** Host[:port] (and optional path) that nodes pull from; defaults to the push URL's host. */
  ADAPTER_REGISTRY_PULL_HOST: z.string().optional(),
  /** Secret (in each workspace namespace) the kubelet needs to pull adapter images, if any. */
  ADAPTER_REGISTRY_PULL_SECRET: z.string().optional(),
  ADAPTER_MAX_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(2 * 1024 ** 3),
  ADAPTER_UPLOAD_DIR: z.string().optional(),
  /** Uploads received at once by one web process; more get 429 with Retry-After. */
  ADAPTER_MAX_CONCURRENT_UPLOADS: z.coerce.number().int().min(1).max(64).default(2),
  /** An upload whose client sends nothing for this long is dropped (it has no overall deadline). */
  ADAPTER_UPLOAD_IDLE_TIMEOUT_SECONDS: z.coerce.number().int().min(5).max(3600).default(60),
});

export type AdapterSettings = {
  registryUrl: string;
  repositoryPrefix: string;
  credentials?: { username: string; password: string };
  pullHost: string;
  pullSecret?: string;
  maxBytes: number;
  uploadDir: string;
};

/** What the upload route (server/adapters/adapter-upload-route.ts) allows one web process. */
export type UploadLimits = { maxConcurrent: number; idleTimeoutMs: number };

export function readAdapterSettings(source: NodeJS.ProcessEnv = process.env): AdapterSettings {
  const env = parseEnv("adapters", schema, source);
  const url = new URL(env.ADAPTER_REGISTRY_URL);
  return {
    registryUrl: url.origin,
    repositoryPrefix: env.ADAPTER_REGISTRY_REPOSITORY_PREFIX,
    credentials:
      env.ADAPTER_REGISTRY_USERNAME !== undefined
        ? { username: env.ADAPTER_REGISTRY_USERNAME, password: env.ADAPTER_REGISTRY_PASSWORD ?? "" }
        : undefined,
    pullHost: env.ADAPTER_REGISTRY_PULL_HOST ?? url.host,
    pullSecret: env.ADAPTER_REGISTRY_PULL_SECRET || undefined,
    maxBytes: env.ADAPTER_MAX_BYTES,
    uploadDir: env.ADAPTER_UPLOAD_DIR ?? path.join(process.cwd(), ".data", "adapter-uploads"),
  };
}

let cached: AdapterSettings | undefined;
export function adapterSettings(): AdapterSettings {
  cached ??= readAdapterSettings();
  return cached;
}

export function readUploadLimits(source: NodeJS.ProcessEnv = process.env): UploadLimits {
  const env = parseEnv("adapters", schema, source);
  return {
    maxConcurrent: env.ADAPTER_MAX_CONCURRENT_UPLOADS,
    idleTimeoutMs: env.ADAPTER_UPLOAD_IDLE_TIMEOUT_SECONDS * 1000,
  };
}
