import "server-only";

import { createHash } from "node:crypto";
import { stat } from "node:fs/promises";
import path from "node:path";
import { buildShellLayer } from "./build-shell-layer";
import { OCI_CONFIG, OCI_LAYER_TAR, OCI_LAYER_TAR_GZIP, OCI_MANIFEST, type Descriptor } from "./media-types";
import type { RegistryClient } from "./registry-client";
import { layerSize, streamTarLayer, type LayerEntry } from "./stream-tar-layer";

export type PushedImage = {
  repository: string;
  tag: string;
  /** Manifest digest: what the Workspace references so that pods run exactly this image. */
  digest: string;
  /** Size of config + layers + manifest as stored in the registry. */
  sizeBytes: number;
  /** The layer holding /data. */
  layer: Descriptor;
};

/** Without an Env the runtime's default PATH applies, which not every runtime sets. */
const PATH_ENV = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
const sha256 = (data: Buffer) => `sha256:${createHash("sha256").update(data).digest("hex")}`;

/**
 * Pushes the adapter files as `<repository>:<tag>`, an image of two layers: busybox (/bin/sh,
 * cp, mkdir) for puller init containers that run the image with a shell command, then `data/<file>`,
 * the layout Kaito serves adapters from. The data layer is an uncompressed tar: safetensors
 * weights barely compress, and gzip was the slowest step of the push by far; containerd, CRI-O
 * and skopeo (upstream Kaito's puller) all accept `application/vnd.oci.image.layer.v1.tar`.
 */
export async function pushAdapterImage(
  client: RegistryClient,
  params: { repository: string; tag: string; dir: string; files: string[]; annotations: Record<string, string> },
): Promise<PushedImage> {
  const { repository, tag } = params;
  const shell = await buildShellLayer();
  await client.authorize(repository);

  const shellDescriptor: Descriptor = { mediaType: OCI_LAYER_TAR_GZIP, digest: shell.digest, size: shell.blob.length };
  if (!(await client.blobExists(repository, shell.digest)))
    await client.uploadBlob(repository, shell.blob, shell.digest);

  const entries: LayerEntry[] = [{ type: "directory", name: "data", mode: 0o755 }];
  for (const file of [...params.files].sort()) {
    const source = path.join(params.dir, file);
    entries.push({ type: "file", name: `data/${file}`, mode: 0o644, size: (await stat(source)).size, source });
  }
  const size = layerSize(entries);
  const dataDigest = await client.uploadStreamedBlob(repository, size, (write) => streamTarLayer(entries, write));
  const dataDescriptor: Descriptor = { mediaType: OCI_LAYER_TAR, digest: dataDigest, size };

  const config = Buffer.from(
    JSON.stringify({
      created: new Date(0).toISOString(),
      architecture: shell.architecture,
      os: "linux",
      config: { Env: [PATH_ENV], Labels: params.annotations },
      // An uncompressed layer's diff id is its digest.
      rootfs: { type: "layers", diff_ids: [shell.diffId, dataDigest] },
      history: [
        { created: new Date(0).toISOString(), created_by: "busybox-static: /bin/sh, cp, mkdir" },
        { created: new Date(0).toISOString(), created_by: "kaito-dashboard adapter upload" },
      ],
    }),
  );
  const configDescriptor: Descriptor = { mediaType: OCI_CONFIG, digest: sha256(config), size: config.length };
  if (!(await client.blobExists(repository, configDescriptor.digest))) {
    await client.uploadBlob(repository, config, configDescriptor.digest);
  }

  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      config: configDescriptor,
      layers: [shellDescriptor, dataDescriptor],
      annotations: params.annotations,
    }),
  );
  const digest = sha256(manifest);
  const answered = await client.putManifest(repository, tag, OCI_MANIFEST, manifest);
  if (answered && answered !== digest) {
    throw new Error(`registry stored manifest ${answered} but ${digest} was sent`);
  }
  return {
    repository,
    tag,
    digest,
    sizeBytes: config.length + shell.blob.length + size + manifest.length,
    layer: dataDescriptor,
  };
}
