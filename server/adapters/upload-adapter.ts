import "server-only";

import type { AdapterDeps } from "./adapter-deps";
import type { AdapterRecord } from "./adapter-record";
import { assertNameFree, publishAdapter, validateBaseModel, type Uploader } from "./publish-adapter";
import { receiveAdapterUpload } from "./receive-adapter-upload";
import { validateAdapterName } from "./validate-adapter-name";

/**
 * The whole upload: stream the multipart body to disk, validate, push, record. The name and
 * base model are checked as their fields arrive, before any file is stored. The staging folder is
 * removed whatever happens; only the registry image and its row remain on success.
 */
export async function uploadAdapter(
  body: AsyncIterable<Uint8Array>,
  contentType: string | null,
  uploader: Uploader,
  deps: AdapterDeps,
): Promise<AdapterRecord> {
  const upload = await receiveAdapterUpload(body, contentType, {
    ...deps.settings,
    checkField: async (field, value) => {
      if (field === "name") await assertNameFree(deps.db, validateAdapterName(value));
      if (field === "baseModel") validateBaseModel(value);
    },
  });
  try {
    return await publishAdapter(upload, uploader, deps);
  } finally {
    await upload.discard();
  }
}
