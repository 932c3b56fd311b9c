import "server-only";

import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import { findPreset, isHuggingFaceId } from "@/lib/kaito/presets";
import type { PrismaClient } from "@/server/db/client";
import type { Prisma } from "@/server/db/generated/client";
import { AdapterError } from "./adapter-error";
import { CONFIG_FILE, WEIGHTS_FILE, assertRequiredFiles } from "./adapter-files";
import { toAdapterRecord, type AdapterRecord } from "./adapter-record";
import type { AdapterSettings } from "./config";
import { pushAdapterImage } from "./oci/push-adapter-image";
import { RegistryClient } from "./oci/registry-client";
import type { ReceivedUpload } from "./receive-adapter-upload";
import { MAX_CONFIG_BYTES, validateAdapterConfig } from "./validate-adapter-config";
import { validateAdapterName } from "./validate-adapter-name";
import { readSafetensorsHeader } from "./validate-safetensors";

export type Uploader = { userId: string | null; email: string };

/**
 * Validates a received upload, pushes it as an OCI image and records it. The database row is
 * written last, so a failure anywhere leaves no record; an image whose row could not be written
 * is deleted from the registry again.
 */
export async function publishAdapter(
  upload: ReceivedUpload,
  uploader: Uploader,
  deps: { db: PrismaClient; settings: AdapterSettings },
): Promise<AdapterRecord> {
  const { db, settings } = deps;
  const name = validateAdapterName(upload.fields.name ?? "");
  const baseModel = validateBaseModel(upload.fields.baseModel ?? "");
  assertRequiredFiles(upload.files);

  const configPath = path.join(upload.dir, CONFIG_FILE);
  if ((await stat(configPath)).size > MAX_CONFIG_BYTES) {
    throw new AdapterError("invalid_config", `${CONFIG_FILE} is larger than ${MAX_CONFIG_BYTES} bytes`, CONFIG_FILE);
  }
  const { config, warnings } = validateAdapterConfig(await readFile(configPath, "utf8"), baseModel);
  const weights = await readSafetensorsHeader(path.join(upload.dir, WEIGHTS_FILE));

  await assertNameFree(db, name);

  const files = await Promise.all(
    [...upload.files]
      .sort()
      .map(async (file) => ({ name: file, sizeBytes: (await stat(path.join(upload.dir, file))).size })),
  );
  const client = new RegistryClient(settings.registryUrl, settings.credentials);
  const repository = `${settings.repositoryPrefix}${name}`;
  const pushed = await pushAdapterImage(client, {
    repository,
    tag: "latest",
    dir: upload.dir,
    files: upload.files,
    annotations: {
      "org.opencontainers.image.title": name,
      "sh.kaito.adapter.base-model": baseModel,
    },
  });

  try {
    const row = await db.adapter.create({
      data: {
        name,
        baseModel,
        repository,
        tag: pushed.tag,
        digest: pushed.digest,
        sizeBytes: BigInt(pushed.sizeBytes),
        config: config as Prisma.InputJsonObject,
        files,
        tensorCount: weights.tensors.length,
        parameterCount: BigInt(weights.parameterCount),
        warnings,
        uploadedById: uploader.userId,
        uploadedByEmail: uploader.email,
      },
    });
    return toAdapterRecord(row, settings.pullHost);
  } catch (error) {
    await client.deleteManifest(repository, pushed.digest).catch(() => undefined);
    if ((error as { code?: string }).code === "P2002") throw duplicate(name);
    throw error;
  }
}

export function validateBaseModel(value: string): string {
  if (findPreset(value) || isHuggingFaceId(value)) return value;
  throw new AdapterError(
    "invalid_input",
    value
      ? `Unknown base model ${value}: choose a preset or give a HuggingFace id (org/model)`
      : "Base model is required",
    "baseModel",
  );
}

export async function assertNameFree(db: PrismaClient, name: string): Promise<void> {
  if (await db.adapter.findUnique({ where: { name }, select: { id: true } })) throw duplicate(name);
}

function duplicate(name: string): AdapterError {
  return new AdapterError("duplicate_name", `An adapter named ${name} already exists`, "name");
}
