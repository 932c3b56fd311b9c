import "server-only";

import type { AdapterConfig } from "./validate-adapter-config";

/** An adapter as the pages and the API show it (BigInts turned into numbers; JSON-safe). */
export type AdapterRecord = {
  id: string;
  name: string;
  baseModel: string;
  repository: string;
  tag: string;
  digest: string;
  /** What a Workspace's `inference.adapters[].source.image` is set to. */
  image: string;
  sizeBytes: number;
  config: AdapterConfig;
  files: { name: string; sizeBytes: number }[];
  tensorCount: number;
  parameterCount: number;
  warnings: string[];
  uploadedByEmail: string;
  createdAt: string;
};

type Row = {
  id: string;
  name: string;
  baseModel: string;
  repository: string;
  tag: string;
  digest: string;
  sizeBytes: bigint;
  config: unknown;
  files: unknown;
  tensorCount: number;
  parameterCount: bigint;
  warnings: string[];
  uploadedByEmail: string;
  createdAt: Date;
};

export function toAdapterRecord(row: Row, pullHost: string): AdapterRecord {
  return {
    id: row.id,
    name: row.name,
    baseModel: row.baseModel,
    repository: row.repository,
    tag: row.tag,
    digest: row.digest,
    image: adapterImageReference(pullHost, row.repository, row.digest),
    sizeBytes: Number(row.sizeBytes),
    config: row.config as AdapterConfig,
    files: row.files as AdapterRecord["files"],
    tensorCount: row.tensorCount,
    parameterCount: Number(row.parameterCount),
    warnings: row.warnings,
    uploadedByEmail: row.uploadedByEmail,
    createdAt: row.createdAt.toISOString(),
  };
}

/** Pinned by digest, so a pod runs exactly the bytes that were validated, whatever the tag does later. */
export function adapterImageReference(pullHost: string, repository: string, digest: string): string {
  return `${pullHost}/${repository}@${digest}`;
}
