import "server-only";

import http from "node:http";

import { AppError } from "@/server/errors";
import { createInferenceProxy } from "@/server/inference/create-inference-proxy";
import type { InferenceWorkspace } from "@/server/inference/inference-types";
import { createEndpointResolver } from "@/server/inference/resolve-endpoint";
import { checkWorkspaceAccess } from "@/server/workspaces/workspace-access";

/**
 * The production proxy handler in a process of its own for bench/inference-proxy.ts, pointed at
 * the model-server double. Authentication and the Workspace cache are in-memory stand-ins (their
 * cost is a Map lookup in production too, plus the token query the benchmark does not measure);
 * routing, readiness check, body parsing, streaming, usage sniffing are the real code.
 * --access-check adds the production per-user check (#13): a SelfSubjectAccessReview `get` on the
 * Workspace sent as the user to the cluster in KUBECONFIG, answered once and cached for 30 s.
 */
const upstream = process.argv[2];
const port = Number(process.argv[3]);
const ready: InferenceWorkspace = {
  metadata: { namespace: "bench", name: "phi" },
  inference: { preset: { name: "phi-3-mini-4k-instruct" } },
  status: { conditions: [{ type: "InferenceReady", status: "True" }] },
};
const config = {
  mode: "static" as const,
  staticUrlTemplate: `${upstream}/ws/{namespace}/{name}`,
  maxBodyBytes: 1024 * 1024,
  responseTimeoutMs: 60_000,
  idleTimeoutMs: 60_000,
  // High enough never to refuse the bench's one user, but the limiter still runs on every request.
  rateLimitPerMinute: 1_000_000,
  recordContent: false,
};
let recorded = 0;
const handler = createInferenceProxy({
  config,
  authorize: async ({ headers }) => {
    if (headers.get("authorization") !== "Bearer kd_bench") throw new AppError("unauthenticated", "no token");
    return { userId: "bench" };
  },
  ...(process.argv.includes("--access-check")
    ? {
        mayAccess: (_principal: unknown, namespace: string, name: string) =>
          checkWorkspaceAccess(
            { userId: "bench", email: "bench@example.test", name: null, role: "admin" },
            namespace,
            name,
          ),
      }
    : {}),
  workspaces: { get: () => ready, list: () => [ready], ready: async () => {} },
  resolve: createEndpointResolver(config),
  recordUsage: async () => void recorded++,
  log: (message, error) => console.error(message, error),
});
// --plain: a bare node:http pipe with none of the proxy's checks, to show what the checks themselves cost.
const plainAgent = new http.Agent({ keepAlive: true, maxSockets: 1024 });
const plain: http.RequestListener = (req, res) => {
  const up = http.request(
    `${upstream}${req.url}`,
    { method: req.method, headers: req.headers, agent: plainAgent },
    (upRes) => {
      res.writeHead(upRes.statusCode ?? 502, upRes.headers);
      res.flushHeaders();
      upRes.pipe(res);
    },
  );
  res.on("close", () => up.destroy());
  req.pipe(up);
};

http
  .createServer(
    { noDelay: true, keepAliveTimeout: 65_000 },
    process.argv.includes("--plain") ? plain : (req, res) => void handler(req, res),
  )
  .listen(port, "127.0.0.1", () => console.log("ready"));
process.on("SIGTERM", () => {
  console.log(`recorded ${recorded}`);
  process.exit(0);
});
