import "server-only";

import http from "node:http";

import next from "next";

import { flushAnonymousRefusals } from "./audit/record-audit-event";
import { stampClientIp, trustedProxyHops } from "./auth/client-ip";
import { migrateDatabase } from "./db/client";
import { POST as uploadAdapter } from "./adapters/adapter-upload-route";
import { adapterSettings } from "./adapters/config";
import { sweepUploadStaging } from "./adapters/sweep-upload-staging";
import { getInferenceProxy } from "./inference/get-inference-proxy";
import { INFERENCE_PREFIX } from "./inference/match-inference-route";
import { readMetricsConfig } from "./metrics/config";
import { serveWebMetrics } from "./metrics/proxy-metrics";

// Streams through a Next.js route handler arrive late and coalesced (0.3–0.9 s added at 200
// streams, docs/architecture.md), so /api/inference/* is piped by node:http here, before Next.
const dev = process.env.NODE_ENV !== "production";
const port = Number(process.env.PORT ?? 3000);
// Not HOSTNAME: shells set it to the machine name.
const hostname = process.env.HOST ?? "0.0.0.0";

// The chart's init container: migrate as the owner role (DATABASE_MIGRATION_URL), then exit, so
// the long-running web process never holds the owner's password (docs/install.md).
if (process.argv.includes("--migrate-only")) {
  await migrateDatabase();
  process.exit(0);
}

const app = next({ dev, dir: process.cwd(), hostname, port });
const handleNext = app.getRequestHandler();
const inference = getInferenceProxy();
const proxyHops = trustedProxyHops();

// Node's own default for receiving a whole request; the adapter upload alone is exempt from it.
const REQUEST_TIMEOUT_MS = 300_000;

await app.prepare();
const swept = await sweepUploadStaging(adapterSettings().uploadDir);
if (swept > 0) console.log(`removed ${swept} adapter upload staging folder(s) left by an earlier process`);

// requestTimeout 0: Node's per-server deadline would cut a 2 GiB upload on a slow link at 300 s,
// so every other request gets the same deadline from limitRequestTime instead.
const server = http.createServer({ noDelay: true, keepAliveTimeout: 65_000, requestTimeout: 0 }, (req, res) => {
  stampClientIp(req, proxyHops);
  if (uploadAdapter.matches(req)) return void uploadAdapter(req, res);
  limitRequestTime(req, res);
  if (req.url?.startsWith(INFERENCE_PREFIX)) return void inference(req, res);
  void handleNext(req, res);
});

/** What Node's requestTimeout does: a request whose body has not fully arrived in time is dropped. */
function limitRequestTime(req: http.IncomingMessage, res: http.ServerResponse): void {
  const timer = setTimeout(() => {
    if (!req.complete) req.socket.destroy();
  }, REQUEST_TIMEOUT_MS);
  res.once("close", () => clearTimeout(timer));
}
if (dev) server.on("upgrade", app.getUpgradeHandler());

// The proxy's own series per Workspace and user, on a port Prometheus reaches and browsers need not.
const { webMetricsPort } = readMetricsConfig();
if (webMetricsPort) serveWebMetrics(webMetricsPort, hostname);

server.listen(port, hostname, () => {
  console.log(
    `web server listening on http://${hostname === "0.0.0.0" ? "localhost" : hostname}:${port} (${dev ? "dev" : "production"})`,
  );
});

for (const signal of ["SIGINT", "SIGTERM"] as const)
  process.on(signal, () => {
    server.close();
    server.closeIdleConnections();
    setTimeout(() => process.exit(0), 2000).unref();
    // Refused anonymous requests still being counted get their event before the process goes.
    void Promise.allSettled([app.close(), flushAnonymousRefusals()]).finally(() => process.exit(0));
  });
