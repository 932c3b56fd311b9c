// A bare JSON request to the apiserver. The generated clients of @kubernetes/client-node drop
// keys they do not model (x-kubernetes-validations, x-kubernetes-preserve-unknown-fields), which
// would silently strip the CEL rules from a CRD, so CRDs go through here verbatim.
import https from "node:https";

import type { KubeConfig } from "@kubernetes/client-node";

export class KubeRequestError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
  }
}

export async function kubeRequest<T>(kc: KubeConfig, method: string, path: string, body?: unknown): Promise<T> {
  const server = kc.getCurrentCluster()?.server;
  if (!server) throw new Error("the kubeconfig has no current cluster");
  const options: https.RequestOptions = { method, headers: { Accept: "application/json" } };
  await kc.applyToHTTPSOptions(options);
  const payload = body === undefined ? undefined : JSON.stringify(body);
  if (payload) options.headers = { ...options.headers, "Content-Type": "application/json" };
  return new Promise((resolve, reject) => {
    const req = https.request(new URL(path, server), options, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (text += chunk));
      res.on("end", () => {
        const code = res.statusCode ?? 0;
        if (code >= 400) {
          let message = text;
          try {
            message = (JSON.parse(text) as { message?: string }).message ?? text;
          } catch {
            // not a Status object
          }
          reject(new KubeRequestError(code, `${method} ${path}: ${message}`));
        } else {
          resolve((text ? JSON.parse(text) : undefined) as T);
        }
      });
    });
    req.on("error", reject);
    req.end(payload);
  });
}
