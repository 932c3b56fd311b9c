// Benchmark: a 1 GiB LoRA adapter (generated safetensors, random data) uploaded as multipart and
// published to the real local registry (Debian docker-registry), measuring the server process's
// peak RSS and throughput. Baseline in the same run: the same bytes POSTed to the same process
// and only written to disk. Prints the figures and appends them to docs/benchmarks.md.
//   node --conditions=react-server --import tsx bench/adapter-upload.ts [--mib 1024] [--dry (print only)]
import { spawn } from "node:child_process";
import { createReadStream, existsSync, readFileSync, writeFileSync, appendFileSync } from "node:fs";
import { mkdir, mkdtemp, rm, stat } from "node:fs/promises";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";

import { startRegistry } from "@/dev/registry/start-registry";
import { adapterConfigJson, writeLargeSafetensors } from "@/server/adapters/testing/make-adapter-files";

const at = process.argv.indexOf("--mib");
const MIB = at === -1 ? 1024 : Number(process.argv[at + 1]);
const root = path.resolve(import.meta.dirname, "..");
const RSS_LIMIT_MB = 200;

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** VmHWM: the process's peak resident set since it started, as the kernel counts it. */
function peakRssMiB(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, "utf8").match(/VmHWM:\s+(\d+) kB/);
  return Number(line![1]) / 1024;
}
function currentRssMiB(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, "utf8").match(/VmRSS:\s+(\d+) kB/);
  return Number(line![1]) / 1024;
}

/** Streams a multipart body from disk with an exact Content-Length, as a browser would send it. */
async function post(
  port: number,
  urlPath: string,
  fields: Record<string, string>,
  files: { name: string; file: string }[],
) {
  const boundary = `----kdbench${Date.now()}`;
  const pieces: (Buffer | { file: string; size: number })[] = [];
  for (const [key, value] of Object.entries(fields)) {
    pieces.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${key}"\r\n\r\n${value}\r\n`));
  }
  for (const f of files) {
    pieces.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="files"; filename="${f.name}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
      ),
    );
    pieces.push({ file: f.file, size: (await stat(f.file)).size });
    pieces.push(Buffer.from("\r\n"));
  }
  pieces.push(Buffer.from(`--${boundary}--\r\n`));
  const length = pieces.reduce((sum, p) => sum + (Buffer.isBuffer(p) ? p.length : p.size), 0);

  const started = performance.now();
  const status = await new Promise<{ code: number; body: string }>((resolve, reject) => {
    const request = http.request(
      {
        host: "127.0.0.1",
        port,
        path: urlPath,
        method: "POST",
        headers: { "content-type": `multipart/form-data; boundary=${boundary}`, "content-length": length },
      },
      (response) => {
        let body = "";
        response.on("data", (c) => (body += c));
        response.on("end", () => resolve({ code: response.statusCode!, body }));
      },
    );
    request.on("error", reject);
    (async () => {
      for (const piece of pieces) {
        if (Buffer.isBuffer(piece)) request.write(piece);
        else
          for await (const chunk of createReadStream(piece.file))
            if (!request.write(chunk)) await new Promise((r) => request.once("drain", r));
      }
      request.end();
    })().catch(reject);
  });
  return { seconds: (performance.now() - started) / 1000, bytes: length, ...status };
}

const work = await mkdtemp(path.join(os.tmpdir(), "kd-bench-adapter-"));
const registry = await startRegistry();
const port = await freePort();
const load = os.loadavg()[0];
const children: ReturnType<typeof spawn>[] = [];

/** Starts a TypeScript entry point as its own process and waits for `marker` on its stdout. */
async function startTs(entry: string, env: Record<string, string>, marker: string) {
  const child = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", entry], {
    cwd: root,
    stdio: ["ignore", "pipe", "inherit"],
    env: { ...process.env, ...env },
  });
  children.push(child);
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on("data", (c: Buffer) => c.toString().includes(marker) && resolve());
    child.once("exit", (code) => reject(new Error(`${entry} exited with ${code}`)));
  });
  return child;
}

try {
  const filesDir = path.join(work, "adapter");
  await mkdir(filesDir);
  writeFileSync(path.join(filesDir, "adapter_config.json"), adapterConfigJson());
  const weights = path.join(filesDir, "adapter_model.safetensors");
  console.log(`generating a ${MIB} MiB safetensors file…`);
  const weightBytes = await writeLargeSafetensors(weights, MIB * 1024 * 1024);

  // The database lives in its own process, as under `npm start`: PGlite's WASM heap must not be
  // counted as the web process's memory.
  const dbEnv = { PGLITE_DIR: path.join(work, "db"), EMBEDDED_DB_PORT: String(await freePort()), DATABASE_URL: "" };
  await startTs("dev/db/serve-embedded-db.ts", dbEnv, "served on");
  const server = await startTs(
    "bench/adapter-upload-server.ts",
    {
      ...dbEnv,
      BENCH_PORT: String(port),
      ADAPTER_REGISTRY_URL: registry.url,
      ADAPTER_UPLOAD_DIR: path.join(work, "uploads"),
      ADAPTER_MAX_BYTES: String(4 * 1024 ** 3),
    },
    "ready",
  );
  const pid = server.pid!;
  const idleMiB = currentRssMiB(pid);
  const files = [
    { name: "adapter_config.json", file: path.join(filesDir, "adapter_config.json") },
    { name: "adapter_model.safetensors", file: weights },
  ];

  const baseline = await post(port, "/baseline", {}, files);
  if (baseline.code !== 204) throw new Error(`baseline failed: ${baseline.code} ${baseline.body}`);
  const baselinePeak = peakRssMiB(pid);

  const upload = await post(
    port,
    "/upload",
    { name: `bench-${Date.now()}`, baseModel: "phi-3-mini-4k-instruct" },
    files,
  );
  if (upload.code !== 201) throw new Error(`upload failed: ${upload.code} ${upload.body}`);
  const uploadPeak = peakRssMiB(pid);
  const record = JSON.parse(upload.body) as { digest: string; sizeBytes: number };

  const mib = upload.bytes / 1024 / 1024;
  const figures = {
    sizeMiB: mib,
    uploadSeconds: upload.seconds,
    uploadMiBps: mib / upload.seconds,
    baselineSeconds: baseline.seconds,
    baselineMiBps: mib / baseline.seconds,
    idleRssMiB: idleMiB,
    peakRssAfterBaselineMiB: baselinePeak,
    peakRssMiB: uploadPeak,
  };
  console.table(figures);
  const pass = uploadPeak < RSS_LIMIT_MB;
  console.log(
    `peak RSS ${uploadPeak.toFixed(0)} MiB ${pass ? "<" : "≥"} ${RSS_LIMIT_MB} MB target; image ${record.digest}`,
  );

  const cpu = os.cpus()[0]?.model ?? "unknown CPU";
  const section = `
## Adapter upload and publish (${new Date().toISOString().slice(0, 10)})

Machine: ${os.cpus().length} × ${cpu}, ${(os.totalmem() / 1024 ** 3).toFixed(0)} GB RAM, Node ${process.versions.node};\n1-minute load average ${load.toFixed(1)} at the start (other builds were running).
\`bench/adapter-upload.ts\`: one ${weightBytes.toLocaleString("en")}-byte safetensors file (random F16 data) plus
adapter_config.json, POSTed as multipart/form-data over loopback to a process running \`uploadAdapter()\`
(the code behind \`POST /api/adapters\`): stream to disk → validate → tar+gzip layer streamed to the local
Debian docker-registry → manifest → database row (PGlite). Baseline in the same run and process: the same
body only written to disk.

| | seconds | MiB/s | ratio vs baseline |
|---|---|---|---|
| baseline: receive to disk | ${baseline.seconds.toFixed(1)} | ${figures.baselineMiBps.toFixed(0)} | 1.00 |
| upload + validate + publish | ${upload.seconds.toFixed(1)} | ${figures.uploadMiBps.toFixed(0)} | ${(figures.uploadMiBps / figures.baselineMiBps).toFixed(2)} |

Server process RSS: ${idleMiB.toFixed(0)} MiB idle, peak ${baselinePeak.toFixed(0)} MiB after the baseline,
peak ${uploadPeak.toFixed(0)} MiB after the upload (kernel VmHWM) — target < ${RSS_LIMIT_MB} MB: ${pass ? "met" : "NOT met"}.
The Next.js server adds its own resident baseline on top of the pipeline's; the upload's own
addition is the peak minus idle (${(uploadPeak - idleMiB).toFixed(0)} MiB).
`;
  const docs = path.join(root, "docs/benchmarks.md");
  if (!process.argv.includes("--dry")) {
    if (!existsSync(docs)) {
      writeFileSync(
        docs,
        "# Benchmarks\n\nFigures measured by the scripts in `bench/`; each section names its machine and date.\n",
      );
    }
    appendFileSync(docs, section);
    console.log(`appended to ${path.relative(root, docs)}`);
  }
} finally {
  for (const child of children.reverse()) {
    child.kill("SIGTERM");
    await new Promise((resolve) => child.exitCode !== null || child.once("exit", resolve));
  }
  await registry.stop();
  await rm(work, { recursive: true, force: true });
}
