// Benchmark: 200 concurrent chat streams of 256 tokens from the model-server double, measured
// direct, through our inference proxy and through Debian's nginx as a plain reverse proxy, in one
// run on this machine. Prints the figures and writes them to docs/benchmarks.md, above the earlier
// inference-proxy sections.
//   npm run bench:inference -- [--streams 200] [--tokens 256] [--rounds 3] [--token-ms 5]
// (dev/bench.mjs installs Debian's nginx first when it is missing.)
//
// Two CPU layouts, interleaved round by round:
// - pinned: the client and the model-server double on CPU 0, the proxy under test (ours, the bare
//   pipe or nginx) alone on CPU 1 — as deployed, where the web pod shares no CPU with the GPU node
//   or the callers. The targets are judged on this one.
// - shared: every process free to run on both CPUs, so the proxy takes CPU from the double and the
//   client: a CPU race that says more about this 2-core machine than about the proxy.
// Each layout runs the 200 streams twice per round: all at once (the burst the targets name) and
// with their starts spread evenly over 1 s (closer to users arriving).
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";

import { parse as parseYaml } from "yaml";

import { freePort, waitForPort } from "@/dev/lib/ports";

import { recordRun } from "./record-result";

const arg = (name: string, fallback: number) => {
  const at = process.argv.indexOf(`--${name}`);
  return at === -1 ? fallback : Number(process.argv[at + 1]);
};
const STREAMS = arg("streams", 200);
const TOKENS = arg("tokens", 256);
const ROUNDS = arg("rounds", 3);
// Profiling runs: --cpu-prof DIR writes a V8 CPU profile of the proxy process; --only proxy,direct
// runs just those paths. Either one keeps the figures out of docs/benchmarks.md.
const optionAt = (name: string) => {
  const at = process.argv.indexOf(`--${name}`);
  return at === -1 ? undefined : process.argv[at + 1];
};
const CPU_PROF_DIR = optionAt("cpu-prof");
const ONLY = optionAt("only")?.split(",");
// --layouts pinned and --arrivals burst narrow a run for experiments; they too keep the doc untouched.
const LAYOUTS = (optionAt("layouts")?.split(",") ?? ["pinned", "shared"]) as Layout[];
const ARRIVALS = (optionAt("arrivals")?.split(",") ?? ["burst", "spread"]) as Arrival[];
const SPREAD_MS = 1000;
type Layout = "pinned" | "shared";
type Arrival = "burst" | "spread";
// CPU 0: client and double; CPU 1: the proxy under test.
const CALLER_CPU = "0";
const PROXY_CPU = "1";
const ALL_CPUS = `0-${os.cpus().length - 1}`;
const TTFT_MS = 20;
// --token-ms: the double's time per token. 5 ms (200 tokens/s a stream, 40,000/s for 200 streams)
// is far above what a GPU decodes at that batch size, which makes the run a CPU stress test;
// a slower, realistic rate shows what the proxy adds when it is not saturated.
const TOKEN_DELAY_MS = arg("token-ms", 5);
const root = path.resolve(import.meta.dirname, "..");
const tsNode = ["--conditions=react-server", "--import", "tsx"];
// The proxy runs inside the web process, which the chart starts with web.nodeOptions (a 1 MiB young
// generation, issue 7's memory target): the proxy and the bare pipe get the same V8 flags here.
const WEB_NODE_OPTIONS =
  (
    parseYaml(readFileSync(path.join(root, "charts/kaito-dashboard/values.yaml"), "utf8")) as {
      web?: { nodeOptions?: string };
    }
  ).web?.nodeOptions ?? "";
const children: ChildProcess[] = [];
// nginx's config, pid file and temp paths; removed at the end.
const work = mkdtempSync(path.join(os.tmpdir(), "kd-bench-"));

function start(command: string, args: string[], env: Record<string, string> = {}): ChildProcess {
  const child = spawn(command, args, {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  children.push(child);
  return child;
}

type StreamResult = { ttftMs: number; gaps: number[]; tokens: number; chunks: number; endAt: number; error?: string };

const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
const PIECE = Buffer.from('"delta":{"content":');

function countPieces(chunk: Buffer): number {
  let n = 0;
  for (let at = chunk.indexOf(PIECE); at !== -1; at = chunk.indexOf(PIECE, at + PIECE.length)) n++;
  return n;
}

function oneStream(url: string, headers: Record<string, string>): Promise<StreamResult> {
  const body = JSON.stringify({
    model: "phi",
    messages: [{ role: "user", content: "benchmark" }],
    max_tokens: TOKENS,
    ignore_eos: true,
    stream: true,
    stream_options: { include_usage: true },
  });
  return new Promise((resolve) => {
    const startedAt = performance.now();
    const result: StreamResult = { ttftMs: NaN, gaps: [], tokens: 0, chunks: 0, endAt: 0 };
    let last = 0;
    const req = http.request(
      url,
      { method: "POST", agent, headers: { ...headers, "content-type": "application/json" } },
      (res) => {
        if (res.statusCode !== 200) result.error = `HTTP ${res.statusCode}`;
        res.on("data", (chunk: Buffer) => {
          const now = performance.now();
          const pieces = countPieces(chunk);
          if (pieces === 0) return;
          result.chunks++;
          if (result.tokens === 0) result.ttftMs = now - startedAt;
          else result.gaps.push(now - last);
          // Tokens that arrived together in one read have no gap between them: that is the coalescing a user sees.
          for (let i = 1; i < pieces; i++) result.gaps.push(0);
          result.tokens += pieces;
          last = now;
        });
        res.on("end", () => resolve({ ...result, endAt: performance.now() }));
      },
    );
    req.on("error", (err) => resolve({ ...result, error: err.message, endAt: performance.now() }));
    req.end(body);
  });
}

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

function procTicks(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  return Number(fields[11]) + Number(fields[12]);
}
function procRssKiB(pid: number): number {
  const match = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return match ? Number(match[1]) : 0;
}
function cpuTimes(): { busy: number; total: number }[] {
  return readFileSync("/proc/stat", "utf8")
    .split("\n")
    .filter((line) => /^cpu\d+ /.test(line))
    .map((line) => {
      const [user, nice, system, idle, iowait, irq, softirq, steal] = line.split(/\s+/).slice(1, 9).map(Number);
      const busy = user + nice + system + irq + softirq + steal;
      return { busy, total: busy + idle + iowait };
    });
}

/** Moves every thread of these processes onto the given CPUs (threads they start later inherit it). */
function pin(pids: number[], cpus: string): void {
  for (const pid of pids) {
    const done = spawnSync("taskset", ["--all-tasks", "--cpu-list", "--pid", cpus, String(pid)], { encoding: "utf8" });
    if (done.status !== 0) throw new Error(`taskset ${cpus} ${pid} failed: ${done.stderr}`);
  }
}

function descendants(pid: number): number[] {
  try {
    const kids = readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8")
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map(Number);
    return [pid, ...kids.flatMap(descendants)];
  } catch {
    return [pid];
  }
}

type Scenario = { name: string; url: string; headers: Record<string, string>; pids: () => number[] };
type Totals = {
  ttft: number[];
  gaps: number[];
  tokens: number;
  wallMs: number;
  cpuTicks: number;
  peakRssKiB: number;
  errors: number;
  chunks: number;
  /** Per CPU, in /proc/stat ticks: how busy each core was during the rounds (everything on it, not just ours). */
  cpuBusy: number[];
  cpuTotal: number[];
};

function startStreams(s: Scenario, arrival: Arrival): Promise<StreamResult>[] {
  if (arrival === "burst") return Array.from({ length: STREAMS }, () => oneStream(s.url, s.headers));
  return Array.from(
    { length: STREAMS },
    (_, i) =>
      new Promise<StreamResult>((resolve) =>
        setTimeout(() => void oneStream(s.url, s.headers).then(resolve), (i * SPREAD_MS) / STREAMS),
      ),
  );
}

async function runRound(s: Scenario, arrival: Arrival, totals: Totals): Promise<void> {
  await Promise.all(Array.from({ length: 20 }, () => oneStream(s.url, s.headers))); // warm connections and JITs
  const pids = s.pids();
  const ticksBefore = pids.reduce((sum, pid) => sum + procTicks(pid), 0);
  const cpusBefore = cpuTimes();
  let peak = 0;
  const sampler = setInterval(
    () =>
      (peak = Math.max(
        peak,
        pids.reduce((sum, pid) => sum + procRssKiB(pid), 0),
      )),
    50,
  );
  const t0 = performance.now();
  const results = await Promise.all(startStreams(s, arrival));
  const wall = Math.max(...results.map((r) => r.endAt)) - t0;
  clearInterval(sampler);
  totals.cpuTicks += pids.reduce((sum, pid) => sum + procTicks(pid), 0) - ticksBefore;
  cpuTimes().forEach((cpu, i) => {
    totals.cpuBusy[i] = (totals.cpuBusy[i] ?? 0) + cpu.busy - cpusBefore[i].busy;
    totals.cpuTotal[i] = (totals.cpuTotal[i] ?? 0) + cpu.total - cpusBefore[i].total;
  });
  totals.peakRssKiB = Math.max(
    totals.peakRssKiB,
    peak,
    pids.reduce((sum, pid) => sum + procRssKiB(pid), 0),
  );
  totals.wallMs += wall;
  for (const r of results) {
    if (r.error || r.tokens !== TOKENS) totals.errors++;
    totals.ttft.push(r.ttftMs);
    totals.gaps.push(...r.gaps);
    totals.tokens += r.tokens;
    totals.chunks += r.chunks;
  }
}

async function main() {
  const loadBefore = os.loadavg()[0].toFixed(1);
  const [doublePort, proxyPort, checkedPort, plainPort, nginxPort] = [
    await freePort(),
    await freePort(),
    await freePort(),
    await freePort(),
    await freePort(),
  ];

  const double = start(process.execPath, [...tsNode, "dev/model-server/main.ts"], {
    MODEL_SERVER_PORT: String(doublePort),
    MODEL_SERVER_WORKSPACES: "path",
    MODEL_SERVER_TTFT_MS: String(TTFT_MS),
    MODEL_SERVER_TOKEN_DELAY_MS: String(TOKEN_DELAY_MS),
    MODEL_SERVER_MAX_CONCURRENCY: String(STREAMS * 2),
    MODEL_SERVER_MAX_QUEUE: String(STREAMS * 2),
  });
  const proxy = start(
    process.execPath,
    [
      ...tsNode,
      ...(CPU_PROF_DIR ? ["--cpu-prof", "--cpu-prof-dir", CPU_PROF_DIR] : []),
      "bench/inference-proxy-server.ts",
      `http://127.0.0.1:${doublePort}`,
      String(proxyPort),
    ],
    { NODE_ENV: "production", NODE_OPTIONS: WEB_NODE_OPTIONS },
  );
  // The same proxy with the per-user access check of #13, against the local cluster's apiserver.
  const checked = start(
    process.execPath,
    [
      ...tsNode,
      "bench/inference-proxy-server.ts",
      `http://127.0.0.1:${doublePort}`,
      String(checkedPort),
      "--access-check",
    ],
    { NODE_ENV: "production", NODE_OPTIONS: WEB_NODE_OPTIONS },
  );
  const plain = start(
    process.execPath,
    [...tsNode, "bench/inference-proxy-server.ts", `http://127.0.0.1:${doublePort}`, String(plainPort), "--plain"],
    { NODE_ENV: "production", NODE_OPTIONS: WEB_NODE_OPTIONS },
  );
  writeFileSync(
    path.join(work, "nginx.conf"),
    `worker_processes 1;
pid ${work}/nginx.pid;
error_log ${work}/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path ${work}/body; proxy_temp_path ${work}/proxy; fastcgi_temp_path ${work}/fcgi;
  uwsgi_temp_path ${work}/uwsgi; scgi_temp_path ${work}/scgi;
  upstream double { server 127.0.0.1:${doublePort}; keepalive 512; }
  server {
    listen 127.0.0.1:${nginxPort};
    location / {
      proxy_pass http://double;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_buffering off;
      proxy_request_buffering off;
      tcp_nodelay on;
    }
  }
}
`,
  );
  const nginx = start("/usr/sbin/nginx", ["-p", work, "-c", path.join(work, "nginx.conf"), "-g", "daemon off;"]);
  await Promise.all([
    waitForPort(doublePort, "the model-server double", 20_000),
    waitForPort(proxyPort, "the proxy", 20_000),
    waitForPort(checkedPort, "the proxy with the access check", 20_000),
    waitForPort(plainPort, "the plain pipe", 20_000),
    waitForPort(nginxPort, "nginx", 20_000),
  ]);

  const allScenarios: Scenario[] = [
    {
      name: "direct",
      url: `http://127.0.0.1:${doublePort}/ws/bench/phi/v1/chat/completions`,
      headers: {},
      pids: () => [],
    },
    {
      name: "kaito-dashboard proxy",
      url: `http://127.0.0.1:${proxyPort}/api/inference/bench/phi/v1/chat/completions`,
      headers: { authorization: "Bearer kd_bench" },
      pids: () => [proxy.pid!],
    },
    {
      name: "kaito-dashboard proxy + access check",
      url: `http://127.0.0.1:${checkedPort}/api/inference/bench/phi/v1/chat/completions`,
      headers: { authorization: "Bearer kd_bench" },
      pids: () => [checked.pid!],
    },
    {
      name: "bare node:http pipe",
      url: `http://127.0.0.1:${plainPort}/ws/bench/phi/v1/chat/completions`,
      headers: {},
      pids: () => [plain.pid!],
    },
    {
      name: "nginx",
      url: `http://127.0.0.1:${nginxPort}/ws/bench/phi/v1/chat/completions`,
      headers: {},
      pids: () => descendants(nginx.pid!),
    },
  ];
  const scenarios = allScenarios.filter((s) => !ONLY || ONLY.some((o) => s.name === "direct" || s.name.includes(o)));
  const layoutPids = () => ({
    callers: [process.pid, double.pid!],
    proxies: [proxy.pid!, checked.pid!, plain.pid!, ...descendants(nginx.pid!)],
  });
  const blocks = LAYOUTS.flatMap((layout) => ARRIVALS.map((arrival) => ({ layout, arrival })));
  const key = (layout: Layout, arrival: Arrival, name: string) => `${layout}/${arrival}/${name}`;
  const totals = new Map<string, Totals>();
  for (const { layout, arrival } of blocks)
    for (const s of scenarios)
      totals.set(key(layout, arrival, s.name), {
        ttft: [],
        gaps: [],
        tokens: 0,
        wallMs: 0,
        cpuTicks: 0,
        peakRssKiB: 0,
        errors: 0,
        chunks: 0,
        cpuBusy: [],
        cpuTotal: [],
      });
  // Interleaved rounds, so that drift on a shared machine hits every layout and path alike.
  for (let round = 0; round < ROUNDS; round++)
    for (const layout of LAYOUTS) {
      const { callers, proxies } = layoutPids();
      pin(callers, layout === "pinned" ? CALLER_CPU : ALL_CPUS);
      pin(proxies, layout === "pinned" ? PROXY_CPU : ALL_CPUS);
      for (const arrival of ARRIVALS)
        for (const s of scenarios) {
          await runRound(s, arrival, totals.get(key(layout, arrival, s.name))!);
          process.stdout.write(".");
        }
    }
  process.stdout.write("\n");
  pin(layoutPids().callers, ALL_CPUS);

  const fmt = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : "–");
  const results = (layout: Layout, arrival: Arrival) => {
    const direct = summarize(totals.get(key(layout, arrival, "direct"))!);
    return scenarios.map((s) => {
      const r = summarize(totals.get(key(layout, arrival, s.name))!);
      return {
        name: s.name,
        arrival,
        ...r,
        addedP50: r.ttftP50 - direct.ttftP50,
        addedP99: r.ttftP99 - direct.ttftP99,
        addedGap: r.gapMean - direct.gapMean,
        vsDirect: (100 * r.tokensPerSecond) / direct.tokensPerSecond,
      };
    });
  };
  const arrivalLabel = { burst: "all at once", spread: `spread over ${SPREAD_MS / 1000} s` };
  const layoutTable = (layout: Layout) =>
    [
      "| path | starts | TTFT p50 (ms) | TTFT p99 (ms) | added TTFT p50 / p99 (ms) | inter-token mean / p99 (ms) | added inter-token mean (ms) | tokens coalesced | tokens/s | vs direct | proxy CPU (% of a core) | proxy peak RSS (MiB) | CPU 0 / CPU 1 busy | failed streams |",
      "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
      ...ARRIVALS.flatMap((arrival) =>
        results(layout, arrival).map((r) => {
          const isDirect = r.name === "direct";
          return `| ${r.name} | ${arrivalLabel[arrival]} | ${fmt(r.ttftP50)} | ${fmt(r.ttftP99)} | ${isDirect ? "–" : `${fmt(r.addedP50)} / ${fmt(r.addedP99)}`} | ${fmt(r.gapMean, 2)} / ${fmt(r.gapP99)} | ${isDirect ? "–" : fmt(r.addedGap, 2)} | ${fmt(r.coalescedPct)} % | ${fmt(r.tokensPerSecond, 0)} | ${fmt(r.vsDirect)} % | ${isDirect ? "–" : fmt(r.cpuPct)} | ${isDirect ? "–" : fmt(r.peakRssMiB)} | ${r.cpuBusyPct.map((p) => `${fmt(p, 0)} %`).join(" / ")} | ${r.errors} |`;
        }),
      ),
    ].join("\n");
  const verdict = (layout: Layout, arrival: Arrival) => {
    const rows = results(layout, arrival);
    const proxyRow = rows.find((r) => r.name === "kaito-dashboard proxy") ?? rows[0];
    const checkedRow = rows.find((r) => r.name === "kaito-dashboard proxy + access check");
    const nginxRow = rows.find((r) => r.name === "nginx") ?? rows[0];
    const ratio = nginxRow.addedP99 > 0 ? ` (${fmt(proxyRow.addedP99 / nginxRow.addedP99, 2)}×)` : "";
    return [
      `- added TTFT p99 through the proxy: ${fmt(proxyRow.addedP99)} ms (target < 5 ms); p50 ${fmt(proxyRow.addedP50)} ms`,
      `- throughput through the proxy: ${fmt(proxyRow.vsDirect)} % of direct (target ≥ 95 %); nginx ${fmt(nginxRow.vsDirect)} %`,
      ...(checkedRow
        ? [
            `- the per-user access check (cached SelfSubjectAccessReview): TTFT p50 ${fmt(checkedRow.ttftP50)} ms with it vs ${fmt(proxyRow.ttftP50)} ms without, ${fmt(checkedRow.ttftP50 - proxyRow.ttftP50, 2)} ms added (target ≤ 1 ms); p99 ${fmt(checkedRow.ttftP99)} vs ${fmt(proxyRow.ttftP99)} ms`,
          ]
        : []),
      `- added TTFT p99, proxy vs nginx: ${fmt(proxyRow.addedP99)} ms vs ${fmt(nginxRow.addedP99)} ms${ratio} (target: within 1.5× of nginx's); added inter-token mean ${fmt(proxyRow.addedGap, 2)} ms vs ${fmt(nginxRow.addedGap, 2)} ms`,
    ].join("\n");
  };

  // nginx -v prints to stderr.
  const nginxVersion = spawnSync("/usr/sbin/nginx", ["-v"], { encoding: "utf8" }).stderr.trim();
  const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.type()} ${os.release()}, Node ${process.version}${nginxVersion ? `, ${nginxVersion.trim()}` : ""}`;
  const layoutText: Record<Layout, string> = {
    pinned: `### Pinned CPUs (as deployed; the targets are judged here)

The client and the model-server double run on CPU 0, the proxy under test (ours, the bare pipe or nginx) alone on
CPU 1 (\`taskset\`). In production the web pod shares no CPU with the model server (a GPU node) or its callers, so
this is the layout that shows what the proxy adds. "direct" has CPU 1 idle.`,
    shared: `### Shared CPUs (every process on both cores)

Client, double and proxy compete for the same 2 cores: any extra process in the path takes CPU from the double and the
client, so this measures the machine's CPU race as much as the proxy. Kept so that nothing is hidden; earlier sections
below used only this layout.`,
  };
  const section = `
## Inference proxy: ${STREAMS} concurrent streams × ${TOKENS} tokens (${new Date().toISOString()})

Machine: ${machine}; load average ${loadBefore} before and ${os.loadavg()[0].toFixed(1)} after the run (the machine is
shared with other work, so figures are comparable within this run only). Model-server double: ${TTFT_MS} ms to first token, ${TOKEN_DELAY_MS} ms per token; client, double, proxy
and nginx (1 worker, \`proxy_buffering off\`, upstream keep-alive) on loopback; layouts, start patterns and paths interleaved over
${ROUNDS} rounds (${STREAMS * ROUNDS} streams per row). The proxy process runs the production handler
(\`server/inference/create-inference-proxy.ts\`: route allow-list, auth, readiness check, rate limit, body limit and parse,
streaming, usage sniffing) with in-memory stand-ins for auth, the workspace cache and the usage table, under the chart's
web Node.js flags (\`${WEB_NODE_OPTIONS}\`); the "+ access check" row adds the per-user \`get\` check on the Workspace, a
SelfSubjectAccessReview sent as the user to the local cluster's apiserver and cached for 30 s, as in production; the "bare node:http pipe" row forwards
with none of those checks, the floor for any Node.js proxy. "Tokens coalesced" = tokens that arrived in the same read as the one
before (bursts). "CPU 0 / CPU 1 busy" = how busy each core was during the row's rounds, whatever ran on it. Rows "spread over
${SPREAD_MS / 1000} s" start the ${STREAMS} streams evenly over that second instead of all at once. Command:
\`flock /work/heavy.lock node --conditions=react-server --import tsx ${["bench/inference-proxy.ts", ...process.argv.slice(2)].join(" ")}\`.
${LAYOUTS.map(
  (layout) => `
${layoutText[layout]}

${layoutTable(layout)}

${ARRIVALS.map((arrival) => `${arrivalLabel[arrival]}:\n\n${verdict(layout, arrival)}`).join("\n\n")}
`,
).join("")}`;
  console.log(section);
  if (ONLY || CPU_PROF_DIR || optionAt("layouts") || optionAt("arrivals")) return;
  recordRun("inference", "Inference proxy", section);
  console.log("written to docs/benchmarks.md");
}

function summarize(t: Totals) {
  const ttft = [...t.ttft].filter(Number.isFinite).sort((a, b) => a - b);
  const gaps = [...t.gaps].sort((a, b) => a - b);
  const zeroGaps = gaps.filter((g) => g === 0).length;
  return {
    ttftP50: quantile(ttft, 0.5),
    ttftP99: quantile(ttft, 0.99),
    gapMean: gaps.reduce((a, b) => a + b, 0) / Math.max(1, gaps.length),
    gapP99: quantile(gaps, 0.99),
    coalescedPct: (100 * zeroGaps) / Math.max(1, gaps.length),
    tokensPerSecond: t.tokens / (t.wallMs / 1000),
    // /proc counts CPU time in clock ticks of 1/100 s.
    cpuPct: (t.cpuTicks / 100 / (t.wallMs / 1000)) * 100,
    peakRssMiB: t.peakRssKiB / 1024,
    cpuBusyPct: t.cpuBusy.map((busy, i) => (100 * busy) / Math.max(1, t.cpuTotal[i])),
    errors: t.errors,
  };
}

try {
  await main();
} finally {
  for (const child of children) child.kill("SIGTERM");
  agent.destroy();
  rmSync(work, { recursive: true, force: true });
}
