import "server-only";

import { z } from "zod";

import { envBoolean, parseEnv } from "@/server/env";

const int = (fallback: number) => z.coerce.number().int().min(0).default(fallback);

const schema = z
  .object({
    // cluster-dns inside the cluster; apiserver-proxy from outside with kubeconfig credentials;
    // static for the local cluster's model-server double. Never chosen by the request.
    INFERENCE_ENDPOINT_MODE: z.enum(["cluster-dns", "apiserver-proxy", "static"]).optional(),
    INFERENCE_STATIC_URL_TEMPLATE: z
      .string()
      .refine(
        (t) => /^https?:\/\/[^/]+/.test(t) && t.includes("{namespace}") && t.includes("{name}"),
        "must be an http(s) URL containing {namespace} and {name}, e.g. http://127.0.0.1:8000/ws/{namespace}/{name}",
      )
      .optional(),
    INFERENCE_MAX_BODY_BYTES: int(1024 * 1024),
    INFERENCE_RESPONSE_TIMEOUT_MS: int(60_000),
    INFERENCE_IDLE_TIMEOUT_MS: int(60_000),
    INFERENCE_RATE_LIMIT_PER_MINUTE: int(600),
    // Only the default of the admin setting "store prompts and answers" (server/settings/).
    INFERENCE_RECORD_CONTENT: envBoolean(false),
  })
  .superRefine((env, ctx) => {
    if (env.INFERENCE_ENDPOINT_MODE === "static" && !env.INFERENCE_STATIC_URL_TEMPLATE)
      ctx.addIssue({
        code: "custom",
        path: ["INFERENCE_STATIC_URL_TEMPLATE"],
        message: "required when INFERENCE_ENDPOINT_MODE=static",
      });
  });

export type InferenceConfig = {
  mode: "cluster-dns" | "apiserver-proxy" | "static";
  staticUrlTemplate?: string;
  maxBodyBytes: number;
  responseTimeoutMs: number;
  idleTimeoutMs: number;
  rateLimitPerMinute: number;
  recordContent: boolean;
};

export function loadInferenceConfig(source: NodeJS.ProcessEnv = process.env): InferenceConfig {
  const env = parseEnv("inference", schema, source);
  const inCluster = !!source.KUBERNETES_SERVICE_HOST;
  return {
    mode: env.INFERENCE_ENDPOINT_MODE ?? (inCluster ? "cluster-dns" : "apiserver-proxy"),
    staticUrlTemplate: env.INFERENCE_STATIC_URL_TEMPLATE,
    maxBodyBytes: env.INFERENCE_MAX_BODY_BYTES,
    responseTimeoutMs: env.INFERENCE_RESPONSE_TIMEOUT_MS,
    idleTimeoutMs: env.INFERENCE_IDLE_TIMEOUT_MS,
    rateLimitPerMinute: env.INFERENCE_RATE_LIMIT_PER_MINUTE,
    recordContent: env.INFERENCE_RECORD_CONTENT,
  };
}
