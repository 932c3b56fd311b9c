import "server-only";

import { createHash } from "node:crypto";
import { OCI_CONFIG, OCI_LAYER_TAR_GZIP, OCI_MANIFEST, type Descriptor } from "./media-types";
import { packAdapterLayer } from "./pack-adapter-layer";
import type { RegistryClient } from "./registry-client";

export type PushedImage = {
  repository: string;
  tag: string;
  /** Manifest digest: what the Workspace references so that pods run exactly this image. */
  digest: string;
  /** Compressed size of config + layer + manifest as stored in the registry. */
  sizeBytes: number;
  layer: Descriptor;
};

const sha256 = (data: Buffer) => `sha256:${createHash("sha256").update(data).digest("hex")}`;

/** Packs the adapter files as a one-layer OCI image and pushes it as `<repository>:<tag>`. */
export async function pushAdapterImage(
  client: RegistryClient,
  params: { repository: string; tag: string; dir: string; files: string[]; annotations: Record<string, string> },
): Promise<PushedImage> {
  const { repository, tag } = params;
  await client.authorize(repository);

  const layer = packAdapterLayer(params.dir, params.files);
  await client.uploadBlob(repository, layer.stream, async () => (await layer.digests).digest);
  const { digest: layerDigest, size: layerSize, diffId } = await layer.digests;

  const config = Buffer.from(
    JSON.stringify({
      created: new Date(0).toISOString(),
      architecture: "amd64",
      os: "linux",
      config: { Labels: params.annotations },
      rootfs: { type: "layers", diff_ids: [diffId] },
      history: [{ created: new Date(0).toISOString(), created_by: "kaito-dashboard adapter upload" }],
    }),
  );
  const configDescriptor: Descriptor = { mediaType: OCI_CONFIG, digest: sha256(config), size: config.length };
  if (!(await client.blobExists(repository, configDescriptor.digest))) {
    await client.uploadBlob(repository, config, async () => configDescriptor.digest);
  }

  const layerDescriptor: Descriptor = { mediaType: OCI_LAYER_TAR_GZIP, digest: layerDigest, size: layerSize };
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      config: configDescriptor,
      layers: [layerDescriptor],
      annotations: params.annotations,
    }),
  );
  const digest = sha256(manifest);
  const answered = await client.putManifest(repository, tag, OCI_MANIFEST, manifest);
  if (answered && answered !== digest) {
    throw new Error(`registry stored manifest ${answered} but ${digest} was sent`);
  }
  return { repository, tag, digest, sizeBytes: config.length + layerSize + manifest.length, layer: layerDescriptor };
}
