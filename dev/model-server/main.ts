import { z } from "zod";

import { parseEnv } from "@/server/env";
import { loadKubeConfig } from "@/server/kube/kubeconfig";

import { MODEL_SERVER_DEFAULTS } from "./benchmark-log";
import { createModelServer } from "./create-model-server";
import { clusterModelSource, pathModelSource } from "./workspace-models";

const int = (fallback: number) => z.coerce.number().int().min(0).default(fallback);

const config = parseEnv(
  "model-server double",
  z.object({
    MODEL_SERVER_HOST: z.string().default("127.0.0.1"),
    MODEL_SERVER_PORT: int(8000),
    MODEL_SERVER_TTFT_MS: int(MODEL_SERVER_DEFAULTS.ttftMs),
    MODEL_SERVER_TOKEN_DELAY_MS: int(MODEL_SERVER_DEFAULTS.tokenDelayMs),
    MODEL_SERVER_MAX_CONCURRENCY: int(MODEL_SERVER_DEFAULTS.maxConcurrency).pipe(z.number().min(1)),
    MODEL_SERVER_MAX_QUEUE: int(256),
    // vllm:kv_cache_usage_perc is the tokens of running requests over this many.
    MODEL_SERVER_KV_CACHE_TOKENS: int(16_384).pipe(z.number().min(1)),
    MODEL_SERVER_DEFAULT_MODEL: z.string().min(1).default("phi-3-mini-4k-instruct"),
    // "cluster": /ws/{ns}/{name} serves that Workspace's preset and adapters, read from the cluster.
    // "path": no cluster needed; every routed name is a model of that name (benchmarks).
    MODEL_SERVER_WORKSPACES: z.enum(["cluster", "path"]).default("cluster"),
  }),
);

const models =
  config.MODEL_SERVER_WORKSPACES === "cluster" ? clusterModelSource(loadKubeConfig().kc) : pathModelSource();

const double = createModelServer({
  ttftMs: config.MODEL_SERVER_TTFT_MS,
  tokenDelayMs: config.MODEL_SERVER_TOKEN_DELAY_MS,
  maxConcurrency: config.MODEL_SERVER_MAX_CONCURRENCY,
  maxQueue: config.MODEL_SERVER_MAX_QUEUE,
  defaultModel: config.MODEL_SERVER_DEFAULT_MODEL,
  kvCacheTokens: config.MODEL_SERVER_KV_CACHE_TOKENS,
  models,
});

double.server.listen(config.MODEL_SERVER_PORT, config.MODEL_SERVER_HOST, () => {
  const address = double.server.address();
  const port = typeof address === "object" && address ? address.port : config.MODEL_SERVER_PORT;
  console.log(
    `model-server double listening on http://${config.MODEL_SERVER_HOST}:${port} (workspaces: ${config.MODEL_SERVER_WORKSPACES})`,
  );
});

for (const signal of ["SIGINT", "SIGTERM"] as const)
  process.on(signal, () => {
    double.closeAll();
    double.server.close(() => process.exit(0));
  });
