// The baseline of bench/adapter-upload.ts: a bare node:http server that writes every POST body
// to disk and deletes it again. What receiving the bytes costs at the least, in time and memory.
import { createWriteStream } from "node:fs";
import { mkdir, rm } from "node:fs/promises";
import http from "node:http";
import path from "node:path";
import { pipeline } from "node:stream/promises";

const dir = process.env.BENCH_UPLOAD_DIR!;
await mkdir(dir, { recursive: true });

const server = http.createServer(async (request, response) => {
  const file = path.join(dir, "baseline.bin");
  try {
    await pipeline(request, createWriteStream(file));
    response.writeHead(204).end();
  } catch (error) {
    response.writeHead(500).end(String((error as Error).message));
  } finally {
    await rm(file, { force: true });
  }
});
server.listen(Number(process.env.BENCH_PORT), "127.0.0.1", () => console.log("ready"));
