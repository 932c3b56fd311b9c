// What the inference-proxy integration tests share: the production handler on a local port, a
// viewer holding a personal API token to call it with, and a model-server double that the local
// kube-apiserver can reach for the `apiserver-proxy` endpoint mode.
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";

import {
  CoreV1Api,
  PatchStrategy,
  setHeaderOptions,
  type V1Container,
  type V1ObjectMeta,
} from "@kubernetes/client-node";
import type OpenAI from "openai";

import { createModelServer } from "@/dev/model-server/create-model-server";
import { pathModelSource } from "@/dev/model-server/workspace-models";
import type { PrismaClient } from "@/server/db/client";
import { getInferenceProxy } from "@/server/inference/get-inference-proxy";
import { loadKubeConfig } from "@/server/kube/kubeconfig";
import { generateApiToken } from "@/server/tokens/api-token";

/** The inference fast path as server/web-server.ts mounts it, configured by the current env. */
export async function startInferenceProxy(): Promise<{ server: http.Server; base: string }> {
  const handler = getInferenceProxy();
  const server = http.createServer((req, res) => void handler(req, res));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

export async function createTokenViewer(
  db: PrismaClient,
  email: string,
  tokenName: string,
): Promise<{ userId: string; token: string }> {
  const user = await db.user.create({ data: { email, role: "viewer" } });
  const generated = generateApiToken();
  await db.apiToken.create({
    data: { userId: user.id, name: tokenName, prefix: generated.prefix, hash: generated.hash },
  });
  return { userId: user.id, token: generated.token };
}

/** Reads a streamed chat completion from the openai SDK to its end. */
export async function readChatStream(stream: AsyncIterable<OpenAI.ChatCompletionChunk>): Promise<{
  text: string;
  /** Every chunk, the closing usage-only one included. */
  chunks: number;
  /** The chunks that carried answer text. */
  contentChunks: number;
  usage: OpenAI.CompletionUsage | null | undefined;
}> {
  let text = "";
  let chunks = 0;
  let contentChunks = 0;
  let usage: OpenAI.CompletionUsage | null | undefined;
  for await (const chunk of stream) {
    chunks++;
    usage = chunk.usage ?? usage;
    const piece = chunk.choices[0]?.delta?.content;
    if (!piece) continue;
    text += piece;
    contentChunks++;
  }
  return { text, chunks, contentChunks, usage };
}

export type ApiserverProxyRig = {
  /** The model the double serves. */
  model: string;
  /** Where the double listens: this machine's first non-loopback IPv4 address, and the port. */
  address: string;
  port: number;
  /** The proxy's base URL, and a viewer's API token and user id to call it with. */
  base: string;
  token: string;
  userId: string;
  /** Stops the double and the proxy and restores the environment as it was before the start. */
  close(): Promise<void>;
};

/**
 * A phi-3 model-server double where the local apiserver can reach it (every interface, at `port`;
 * 0: any free one), and the proxy in front of it in `apiserver-proxy` endpoint mode. The double
 * answers only once a reachable Pod (createReachablePod) carries `address`.
 */
export async function startApiserverProxyRig(db: PrismaClient, email: string, port = 0): Promise<ApiserverProxyRig> {
  const address = Object.values(os.networkInterfaces())
    .flat()
    .find((a) => a && a.family === "IPv4" && !a.internal)?.address;
  if (!address) throw new Error("this machine has no non-loopback IPv4 address for the apiserver to reach");
  const model = "phi-3-mini-4k-instruct";
  const double = createModelServer({
    ttftMs: 10,
    tokenDelayMs: 2,
    maxConcurrency: 8,
    maxQueue: 8,
    defaultModel: model,
    models: pathModelSource(),
  });
  await new Promise<void>((resolve, reject) => {
    double.server.once("error", (error: NodeJS.ErrnoException) =>
      reject(
        error.code === "EADDRINUSE"
          ? new Error(`port ${port} is taken on this machine; the model-server double must listen there`)
          : error,
      ),
    );
    double.server.listen(port, "0.0.0.0", resolve);
  });

  const savedEnv = { ...process.env };
  process.env.INFERENCE_ENDPOINT_MODE = "apiserver-proxy";
  delete process.env.INFERENCE_STATIC_URL_TEMPLATE;
  let proxy: http.Server | undefined;
  const close = async () => {
    process.env = savedEnv;
    double.closeAll();
    proxy?.closeAllConnections();
    await Promise.all([new Promise((r) => double.server.close(r)), new Promise((r) => proxy?.close(r) ?? r(null))]);
  };
  try {
    const started = await startInferenceProxy();
    proxy = started.server;
    const { userId, token } = await createTokenViewer(db, email, "sdk");
    return {
      model,
      address,
      port: (double.server.address() as AddressInfo).port,
      base: started.base,
      token,
      userId,
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

/**
 * A Pod of `namespace` at `address`, Running and Ready. The apiserver only proxies to an address
 * that belongs to a Pod of the namespace (its anti-SSRF check), and KWOK pods have no network: so
 * the Pod is bound to a node that does not exist (nothing runs it) and its status, written here,
 * carries the address where the double listens.
 */
export async function createReachablePod(
  namespace: string,
  pod: { metadata: V1ObjectMeta & { name: string }; containers: V1Container[] },
  address: string,
): Promise<void> {
  const core = loadKubeConfig().kc.makeApiClient(CoreV1Api);
  await core.createNamespacedPod({
    namespace,
    body: { metadata: pod.metadata, spec: { nodeName: "no-such-node", containers: pod.containers } },
  });
  await core.patchNamespacedPodStatus(
    {
      namespace,
      name: pod.metadata.name,
      body: {
        status: {
          phase: "Running",
          podIP: address,
          podIPs: [{ ip: address }],
          conditions: [{ type: "Ready", status: "True" }],
        },
      },
    },
    setHeaderOptions("Content-Type", PatchStrategy.MergePatch),
  );
}

/** No kubelet will ever confirm a reachable Pod's shutdown: deletes it at once so its namespace can go. */
export async function deleteReachablePod(namespace: string, name: string): Promise<void> {
  const core = loadKubeConfig().kc.makeApiClient(CoreV1Api);
  await core.deleteNamespacedPod({ namespace, name, gracePeriodSeconds: 0 }).catch(() => undefined);
}
