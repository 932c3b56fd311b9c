import "server-only";

import type { PrismaClient } from "@/server/db/client";
import type { AdapterRecord } from "./adapter-record";
import type { AdapterSettings } from "./config";
import { publishAdapter, type Uploader } from "./publish-adapter";
import { receiveAdapterUpload } from "./receive-adapter-upload";

/**
 * The whole upload: stream the multipart body to disk, validate, push, record. The staging
 * folder is removed whatever happens; only the registry image and its row remain on success.
 */
export async function uploadAdapter(
  body: AsyncIterable<Uint8Array>,
  contentType: string | null,
  uploader: Uploader,
  deps: { db: PrismaClient; settings: AdapterSettings },
): Promise<AdapterRecord> {
  const upload = await receiveAdapterUpload(body, contentType, deps.settings);
  try {
    return await publishAdapter(upload, uploader, deps);
  } finally {
    await upload.discard();
  }
}
