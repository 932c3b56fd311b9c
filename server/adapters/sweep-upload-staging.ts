import "server-only";

import { readdir, rm } from "node:fs/promises";
import path from "node:path";

/**
 * Removes the staging folders that uploads of an earlier process left behind when it crashed or
 * was killed mid-upload (a normal failure removes its own). Run once at start, before the web
 * server takes requests: the folder belongs to this process alone (an emptyDir in the chart).
 * Returns how many folders it removed.
 */
export async function sweepUploadStaging(uploadDir: string): Promise<number> {
  const entries = await readdir(uploadDir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return [];
    throw error;
  });
  await Promise.all(entries.map((entry) => rm(path.join(uploadDir, entry), { recursive: true, force: true })));
  return entries.length;
}
