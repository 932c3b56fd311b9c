// The web side of bench/adapter-upload.ts: a node:http server whose POST /upload runs the same
// uploadAdapter() as POST /api/adapters (stream to disk → validate → push → record), and whose
// POST /baseline only writes the body to disk. Started as its own process so its peak RSS
// (VmHWM) belongs to the upload alone.
import { createWriteStream } from "node:fs";
import { mkdir, rm } from "node:fs/promises";
import http from "node:http";
import path from "node:path";
import { pipeline } from "node:stream/promises";

import { readAdapterSettings } from "@/server/adapters/config";
import { uploadAdapter } from "@/server/adapters/upload-adapter";
import { getDb } from "@/server/db/client";

const settings = readAdapterSettings();
const db = await getDb();
await mkdir(settings.uploadDir, { recursive: true });
const port = Number(process.env.BENCH_PORT);

const server = http.createServer(async (request, response) => {
  try {
    if (request.url === "/baseline") {
      const file = path.join(settings.uploadDir, "baseline.bin");
      await pipeline(request, createWriteStream(file));
      await rm(file);
      response.writeHead(204).end();
      return;
    }
    const record = await uploadAdapter(
      request,
      request.headers["content-type"] ?? null,
      { userId: null, email: "bench@example.com" },
      { db, settings },
    );
    response.writeHead(201, { "content-type": "application/json" }).end(JSON.stringify(record));
  } catch (error) {
    response.writeHead(500).end(String((error as Error).message));
  }
});
server.listen(port, "127.0.0.1", () => console.log("ready"));
