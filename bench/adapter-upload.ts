// Benchmark: a 1 GiB LoRA adapter (generated safetensors, random data) POSTed with a bearer API
// token to the web process as it ships: `node web-server.mjs` from the package that
// dev/package/build-package.ts assembles for the Dockerfile and the chart (esbuild bundle + Next's
// standalone output, plain node, no tsx), which validates it and publishes it to the real local
// registry (Debian docker-registry). Measures the web process's resident memory (kernel VmHWM plus
// a 50 ms VmRSS sampler) and throughput. Baseline in the same run: the same body POSTed to a bare
// node:http process that only writes it to disk. Prints the figures and, without --dry, replaces
// its section of docs/benchmarks.md.
//   npm run bench:adapters -- [--mib 1024] [--dry]   (dev/bench.mjs installs docker-registry and busybox-static first)
// Builds the package into .data/bench-adapters/app (next build into .next-bench-adapters) first
// when sources changed (run under the heavy lock). The web process gets the Dockerfile's env.
import { spawn, type ChildProcess } from "node:child_process";
import { createReadStream, existsSync, readFileSync, writeFileSync } from "node:fs";
import { mkdir, mkdtemp, rm, stat } from "node:fs/promises";
import http from "node:http";
import os from "node:os";
import path from "node:path";

import { build } from "esbuild";

import { findChangedSource, NEXT_SOURCES } from "@/dev/launch/build-if-stale";
import { freePort } from "@/dev/lib/ports";
import { buildPackage } from "@/dev/package/build-package";
import { startRegistry } from "@/dev/registry/start-registry";
import { adapterConfigJson, writeLargeSafetensors } from "@/server/adapters/testing/make-adapter-files";

import { recordRun } from "./record-result";

const at = process.argv.indexOf("--mib");
const MIB = at === -1 ? 1024 : Number(process.argv[at + 1]);
const DRY = process.argv.includes("--dry");
// Extra node flags for the web process, for experiments (e.g. `--node-args "--import ./probe.mjs"`).
const nodeArgsAt = process.argv.indexOf("--node-args");
const EXTRA_NODE_ARGS = nodeArgsAt === -1 ? [] : process.argv[nodeArgsAt + 1]!.split(" ").filter(Boolean);
// … and extra environment (`--web-env "MALLOC_TRIM_THRESHOLD_=131072 …"`).
const webEnvAt = process.argv.indexOf("--web-env");
const EXTRA_WEB_ENV = Object.fromEntries(
  webEnvAt === -1
    ? []
    : process.argv[webEnvAt + 1]!.split(" ")
        .filter(Boolean)
        .map((kv) => kv.split("=", 2)),
) as Record<string, string>;
const root = path.resolve(import.meta.dirname, "..");
const DIST_DIR = ".next-bench-adapters";
const PACKAGE_DIR = path.join(root, ".data/bench-adapters/app");
/** What the web container gets (Dockerfile ENV + the chart's web Deployment env), besides the app's own. */
const SHIPPED_ENV = {
  NODE_ENV: "production",
  NEXT_TELEMETRY_DISABLED: "1",
  MALLOC_ARENA_MAX: "1",
  MALLOC_MMAP_THRESHOLD_: "32768",
  NODE_OPTIONS: "--max-semi-space-size=1",
} as const;
/** Inputs of the package: a change in any of them makes the bench rebuild it. */
const PACKAGE_SOURCES = [...NEXT_SOURCES, "prisma", "dev/package"];
const RSS_LIMIT_MB = 200;
const MB = 1000 * 1000;
const MiB = 1024 * 1024;

/** VmHWM is the kernel's own peak resident size of the process since it started. */
function memory(pid: number): { rss: number; hwm: number } {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kib = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+) kB`).exec(status)![1]) * 1024;
  return { rss: kib("VmRSS"), hwm: kib("VmHWM") };
}

/** Samples VmRSS every 50 ms while `run` goes on: the peak and when it happened. */
async function sampled<T>(pid: number, run: () => Promise<T>) {
  const samples: { t: number; rss: number }[] = [];
  const started = performance.now();
  const timer = setInterval(() => samples.push({ t: performance.now() - started, rss: memory(pid).rss }), 50);
  try {
    const result = await run();
    return { result, samples };
  } finally {
    clearInterval(timer);
  }
}

type Piece = Buffer | { file: string; size: number };

/** Streams a multipart body from disk with an exact Content-Length, as a browser would send it. */
async function post(
  port: number,
  urlPath: string,
  headers: Record<string, string>,
  fields: Record<string, string>,
  files: { name: string; file: string }[],
) {
  const boundary = `----kdbench${Date.now()}`;
  const pieces: Piece[] = [];
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
  const response = await new Promise<{ code: number; body: string }>((resolve, reject) => {
    const request = http.request(
      {
        host: "127.0.0.1",
        port,
        path: urlPath,
        method: "POST",
        headers: {
          ...headers,
          "content-type": `multipart/form-data; boundary=${boundary}`,
          "content-length": length,
        },
      },
      (res) => {
        let body = "";
        res.on("data", (c) => (body += c));
        res.on("end", () => resolve({ code: res.statusCode!, body }));
      },
    );
    request.on("error", reject);
    (async () => {
      for (const piece of pieces) {
        if (Buffer.isBuffer(piece)) request.write(piece);
        else
          for await (const chunk of createReadStream(piece.file, { highWaterMark: MiB }))
            if (!request.write(chunk)) await new Promise((r) => request.once("drain", r));
      }
      request.end();
    })().catch(reject);
  });
  return { seconds: (performance.now() - started) / 1000, bytes: length, ...response };
}

const children: ChildProcess[] = [];

/** Assembles the package unless web-server.mjs is newer than every source file. */
async function buildPackageIfStale(): Promise<void> {
  const marker = path.join(PACKAGE_DIR, "web-server.mjs");
  if (existsSync(marker)) {
    const changed = findChangedSource(PACKAGE_SOURCES, marker);
    if (!changed) return;
    console.log(`▸ ${changed} changed since the package was built: rebuilding it …`);
  }
  await buildPackage({ outDir: PACKAGE_DIR, distDir: DIST_DIR });
}

/** Starts `node [flags] entry` as its own process and waits for `marker` in its output. */
async function startNode(args: string[], cwd: string, env: NodeJS.ProcessEnv, marker: string): Promise<ChildProcess> {
  const entry = args.join(" ");
  const child = spawn(process.execPath, args, { cwd, stdio: ["ignore", "pipe", "pipe"], env });
  children.push(child);
  let output = "";
  await new Promise<void>((resolve, reject) => {
    const onData = (c: Buffer) => {
      output += c.toString();
      if (output.includes(marker)) resolve();
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.once("exit", (code) => reject(new Error(`${entry} exited with ${code}:\n${output.slice(-3000)}`)));
  });
  child.stdout!.resume();
  child.stderr!.on("data", (c: Buffer) => process.stderr.write(c));
  return child;
}

const loadAtStart = os.loadavg();
const work = await mkdtemp(path.join(os.tmpdir(), "kd-bench-adapter-"));
const registry = await startRegistry();

try {
  await buildPackageIfStale();
  const filesDir = path.join(work, "adapter");
  await mkdir(filesDir);
  writeFileSync(path.join(filesDir, "adapter_config.json"), adapterConfigJson());
  const weights = path.join(filesDir, "adapter_model.safetensors");
  console.log(`generating a ${MIB} MiB safetensors file…`);
  const weightBytes = await writeLargeSafetensors(weights, MIB * MiB);
  const files = [
    { name: "adapter_config.json", file: path.join(filesDir, "adapter_config.json") },
    { name: "adapter_model.safetensors", file: weights },
  ];

  // As under `npm start`: the database is its own process, so PGlite's memory is not the web's.
  const dbPort = await freePort();
  const databaseUrl = `postgresql://postgres@127.0.0.1:${dbPort}/postgres`;
  const base: NodeJS.ProcessEnv = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };
  delete base.DATABASE_URL;
  await startNode(
    ["--conditions=react-server", "--import", "tsx", "dev/db/serve-embedded-db.ts"],
    root,
    { ...base, PGLITE_DIR: path.join(work, "db"), EMBEDDED_DB_PORT: String(dbPort) },
    "served on",
  );

  // A bearer API token of an admin, created the way the settings page stores one.
  process.env.DATABASE_URL = databaseUrl;
  const { getDb } = await import("@/server/db/client");
  const { generateApiToken } = await import("@/server/tokens/api-token");
  const db = await getDb();
  const user = await db.user.create({ data: { email: "bench@example.com", role: "admin" } });
  const token = generateApiToken();
  await db.apiToken.create({ data: { userId: user.id, name: "bench", prefix: token.prefix, hash: token.hash } });
  const auth = { authorization: `Bearer ${token.token}` };

  const webPort = await freePort();
  // Like the image's ENTRYPOINT: plain node in the package, nothing inherited from this tsx process.
  const web = await startNode(
    [...EXTRA_NODE_ARGS, "web-server.mjs"],
    PACKAGE_DIR,
    {
      PATH: process.env.PATH ?? "",
      HOME: os.homedir(),
      ...SHIPPED_ENV,
      ...EXTRA_WEB_ENV,
      PORT: String(webPort),
      HOST: "127.0.0.1",
      DATABASE_URL: databaseUrl,
      AUTH_SECRET: "bench-secret-0123456789abcdefghijklmnopqrstuv",
      AUTH_TRUST_HOST: "true",
      KUBECONFIG: process.env.KUBECONFIG ?? path.join(root, ".data/cluster/kubeconfig"),
      ADAPTER_REGISTRY_URL: registry.url,
      ADAPTER_UPLOAD_DIR: path.join(work, "uploads"),
      ADAPTER_MAX_BYTES: String(4 * 1024 ** 3),
    },
    "web server listening",
  );
  const webPid = web.pid!;
  // Warm up: the first requests load Next's route modules and Prisma in both module graphs (the
  // upload fast path's first request opens the node:http side's database client), so that the
  // idle figure is a process that has served pages, API calls and a refused upload.
  for (let i = 0; i < 3; i++) {
    await fetch(`http://127.0.0.1:${webPort}/api/adapters`, { headers: auth }).then((r) => r.arrayBuffer());
    await fetch(`http://127.0.0.1:${webPort}/login`).then((r) => r.arrayBuffer());
    const refused = await fetch(`http://127.0.0.1:${webPort}/api/adapters`, { method: "POST", headers: auth });
    if (refused.status !== 400) throw new Error(`warm-up upload answered ${refused.status}, expected 400`);
    await refused.arrayBuffer();
  }
  await new Promise((resolve) => setTimeout(resolve, 2000));
  const idle = memory(webPid);
  if (EXTRA_NODE_ARGS.length) web.kill("SIGUSR2");
  if (EXTRA_NODE_ARGS.length) await new Promise((resolve) => setTimeout(resolve, 3000));

  const basePort = await freePort();
  // Plain node too, so that neither side carries tsx's loader.
  const baselineEntry = path.join(work, "adapter-upload-server.mjs");
  await build({
    entryPoints: [path.join(root, "bench/adapter-upload-server.ts")],
    outfile: baselineEntry,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    logLevel: "warning",
  });
  const baselineServer = await startNode(
    [baselineEntry],
    root,
    { ...base, ...SHIPPED_ENV, BENCH_PORT: String(basePort), BENCH_UPLOAD_DIR: path.join(work, "baseline") },
    "ready",
  );
  const baselineIdle = memory(baselineServer.pid!);
  const baseline = await sampled(baselineServer.pid!, () => post(basePort, "/", {}, {}, files));
  if (baseline.result.code !== 204) throw new Error(`baseline failed: ${baseline.result.code} ${baseline.result.body}`);
  const baselinePeak = memory(baselineServer.pid!).hwm;

  const name = `bench-${Date.now()}`;
  const upload = await sampled(webPid, () =>
    post(webPort, "/api/adapters", auth, { name, baseModel: "phi-3-mini-4k-instruct" }, files),
  );
  if (upload.result.code !== 201) throw new Error(`upload failed: ${upload.result.code} ${upload.result.body}`);
  const after = memory(webPid);
  if (EXTRA_NODE_ARGS.length) web.kill("SIGUSR2");
  const loadAtEnd = os.loadavg();
  const record = (JSON.parse(upload.result.body) as { adapter: { digest: string; sizeBytes: number } }).adapter;
  const sampledPeak = Math.max(...upload.samples.map((s) => s.rss));

  const mib = upload.result.bytes / MiB;
  const uploadMiBps = mib / upload.result.seconds;
  const baselineMiBps = mib / baseline.result.seconds;
  const pass = after.hwm < RSS_LIMIT_MB * MB;
  const fmt = (bytes: number) => `${(bytes / MiB).toFixed(0)} MiB (${(bytes / MB).toFixed(0)} MB)`;
  console.table({
    "baseline: receive to disk": {
      seconds: +baseline.result.seconds.toFixed(1),
      "MiB/s": +baselineMiBps.toFixed(0),
      "idle RSS MiB": +(baselineIdle.rss / MiB).toFixed(0),
      "peak RSS MiB": +(baselinePeak / MiB).toFixed(0),
    },
    "web server: upload + validate + publish": {
      seconds: +upload.result.seconds.toFixed(1),
      "MiB/s": +uploadMiBps.toFixed(0),
      "idle RSS MiB": +(idle.rss / MiB).toFixed(0),
      "peak RSS MiB": +(after.hwm / MiB).toFixed(0),
    },
  });
  console.log(
    `web peak (VmHWM) ${fmt(after.hwm)}, sampled peak ${fmt(sampledPeak)} ${pass ? "<" : "≥"} ${RSS_LIMIT_MB} MB; image ${record.digest}`,
  );

  const cpu = os.cpus()[0]?.model ?? "unknown CPU";
  const load = (l: number[]) => l.map((v) => v.toFixed(2)).join(", ");
  const section = `## Adapter upload and publish (${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC)

Machine: ${os.cpus().length} × ${cpu}, ${(os.totalmem() / 1024 ** 3).toFixed(0)} GB RAM, Node ${process.versions.node};
load average (1, 5, 15 min) ${load(loadAtStart)} at the start, ${load(loadAtEnd)} at the end (other engineers' builds and tests share the machine).
Command: \`flock /work/heavy.lock node --conditions=react-server --import tsx bench/adapter-upload.ts\`.

One ${weightBytes.toLocaleString("en")}-byte safetensors file (random F16 data) plus adapter_config.json,
${upload.result.bytes.toLocaleString("en")} bytes of multipart/form-data POSTed over loopback with a bearer API token to
\`/api/adapters\` on the web process as shipped: \`node web-server.mjs\` from the package that
\`dev/package/build-package.ts\` assembles for the image (esbuild bundle + Next standalone output, plain node),
with the web container's env (\`${Object.entries(SHIPPED_ENV)
    .map(([k, v]) => `${k}=${v}`)
    .join(" ")}\`), database in
its own process as under \`npm start\`: stream to disk → validate → push a busybox layer and an uncompressed tar layer of
/data to the local Debian docker-registry → manifest → database row → audit event. Baseline in the same run: the
same body POSTed to a bare node:http process (\`bench/adapter-upload-server.ts\`) that only writes it to disk (plain node, same env).

| | seconds | MiB/s | ratio vs baseline | idle RSS | peak RSS (VmHWM) |
|---|---|---|---|---|---|
| baseline: receive to disk | ${baseline.result.seconds.toFixed(1)} | ${baselineMiBps.toFixed(0)} | 1.00 | ${fmt(baselineIdle.rss)} | ${fmt(baselinePeak)} |
| web server: upload + validate + publish | ${upload.result.seconds.toFixed(1)} | ${uploadMiBps.toFixed(0)} | ${(uploadMiBps / baselineMiBps).toFixed(2)} | ${fmt(idle.rss)} | ${fmt(after.hwm)} |

Web process: VmHWM ${fmt(after.hwm)} for the whole life of the process (start, warm-up and the upload), highest
50 ms VmRSS sample during the upload ${fmt(sampledPeak)} — target < ${RSS_LIMIT_MB} MB: **${pass ? "met" : "NOT met"}**.
The upload's own addition over the warmed-up idle process is ${fmt(after.hwm - idle.rss)}.
`;
  console.log(section);
  if (!DRY) recordRun("adapters", "Adapter upload and publish", section);
} finally {
  for (const child of children.reverse()) {
    child.kill("SIGTERM");
    await new Promise((resolve) => (child.exitCode !== null ? resolve(null) : child.once("exit", resolve)));
  }
  await registry.stop();
  await rm(work, { recursive: true, force: true });
}

/** Replaces this benchmark's section (up to the next `## `) or appends it; other sections stay. */
process.exit(0);
