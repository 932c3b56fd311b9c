import "server-only";

import { AdapterError } from "./adapter-error";
import { adapterDeps, type AdapterDeps } from "./adapter-deps";
import { findAdapterAttachments } from "./find-adapter-attachments";
import { RegistryClient } from "./oci/registry-client";

/**
 * Deletes an adapter that no Workspace uses. The attachment check reads the cluster; if the
 * cluster cannot be read the delete is refused, since a pod may still need to pull the image.
 */
export async function deleteAdapter(name: string, deps?: AdapterDeps): Promise<void> {
  const { db, settings } = deps ?? (await adapterDeps());
  const row = await db.adapter.findUnique({ where: { name } });
  if (!row) throw new AdapterError("not_found", `There is no adapter named ${name}`);
  const attached = (await findAdapterAttachments()).get(name) ?? [];
  if (attached.length > 0) {
    const where = attached.map((a) => `${a.namespace}/${a.workspace}`).join(", ");
    throw new AdapterError("conflict", `${name} is attached to ${where}; detach it first`);
  }
  const client = new RegistryClient(settings.registryUrl, settings.credentials);
  await client.authorize(row.repository, "pull,push,delete");
  await client.deleteManifest(row.repository, row.digest);
  await db.adapter.delete({ where: { id: row.id } });
}
