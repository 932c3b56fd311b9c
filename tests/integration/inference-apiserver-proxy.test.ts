// The proxy's apiserver-proxy endpoint mode (out of cluster, kubeconfig credentials) against the
// local cluster's real kube-apiserver: the request goes through
// /api/v1/namespaces/{ns}/services/{name}:80/proxy/… to the model-server double. KWOK pods have no
// network, so the Workspace's Service here has no selector and hand-made Endpoints pointing at the
// double on this machine's own non-loopback address. The apiserver only proxies to an address that
// belongs to a Pod of the namespace (its anti-SSRF check), so a Pod bound to a node that does not
// exist (nothing runs it) carries that address in its status. Everything from the proxy to the
// apiserver and on to the double is real.
import { randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";

import { CoreV1Api, PatchStrategy, setHeaderOptions } from "@kubernetes/client-node";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createModelServer } from "@/dev/model-server/create-model-server";
import { pathModelSource } from "@/dev/model-server/workspace-models";
import { getDb, type PrismaClient } from "@/server/db/client";
import { loadKubeConfig } from "@/server/kube/kubeconfig";
import { waitFor } from "@/tests/support/wait-for";
import { createTokenViewer, readChatStream, startInferenceProxy } from "@/tests/support/inference-proxy";
import { databaseKinds, useTestDatabase } from "@/tests/support/test-database";
import { createInferenceWorkspace, setInferenceReady } from "@/tests/support/workspace-status";

const run = randomBytes(3).toString("hex");
const namespace = `it-inference-apiproxy-${run}`;
const name = "served";
const kc = loadKubeConfig().kc;
const core = kc.makeApiClient(CoreV1Api);
const double = createModelServer({
  ttftMs: 10,
  tokenDelayMs: 2,
  maxConcurrency: 8,
  maxQueue: 8,
  defaultModel: "phi-3-mini-4k-instruct",
  models: pathModelSource(),
});

// The first IPv4 address of this machine that is not loopback: where the apiserver can reach the double.
const hostAddress = Object.values(os.networkInterfaces())
  .flat()
  .find((a) => a && a.family === "IPv4" && !a.internal)?.address;

let database: Awaited<ReturnType<typeof useTestDatabase>>;
let db: PrismaClient;
let proxyServer: http.Server;
let base: string;
let token: string;
let userId: string;
const savedEnv = { ...process.env };

// Polls as the tests always have: every 100 ms for up to 10 s.
const POLL = { timeoutMs: 10_000, intervalMs: 100 };

beforeAll(async () => {
  if (!hostAddress) throw new Error("this machine has no non-loopback IPv4 address for the apiserver to reach");
  database = await useTestDatabase(databaseKinds().at(-1)!);
  db = await getDb();
  await new Promise<void>((resolve) => double.server.listen(0, "0.0.0.0", resolve));
  const port = (double.server.address() as AddressInfo).port;

  await core.createNamespace({ body: { metadata: { name: namespace } } });
  await core.createNamespacedService({
    namespace,
    body: { metadata: { name }, spec: { ports: [{ name: "http", port: 80, targetPort: port }] } },
  });
  await core.createNamespacedPod({
    namespace,
    body: {
      metadata: { name: `${name}-0` },
      spec: { nodeName: "no-such-node", containers: [{ name: "vllm", image: "registry.example/vllm:1" }] },
    },
  });
  await core.patchNamespacedPodStatus(
    {
      namespace,
      name: `${name}-0`,
      body: { status: { phase: "Running", podIP: hostAddress, podIPs: [{ ip: hostAddress }] } },
    },
    setHeaderOptions("Content-Type", PatchStrategy.MergePatch),
  );
  await core.createNamespacedEndpoints({
    namespace,
    body: {
      metadata: { name },
      subsets: [
        {
          addresses: [{ ip: hostAddress, targetRef: { kind: "Pod", name: `${name}-0`, namespace } }],
          ports: [{ name: "http", port }],
        },
      ],
    },
  });
  await createInferenceWorkspace(namespace, name);
  await setInferenceReady(namespace, name, true);

  process.env.INFERENCE_ENDPOINT_MODE = "apiserver-proxy";
  delete process.env.INFERENCE_STATIC_URL_TEMPLATE;
  ({ server: proxyServer, base } = await startInferenceProxy());
  ({ userId, token } = await createTokenViewer(db, `apiproxy-${run}@example.com`, "sdk"));
  await waitFor(
    "the model list through the apiserver",
    async () =>
      (
        await fetch(`${base}/api/inference/${namespace}/${name}/v1/models`, {
          headers: { authorization: `Bearer ${token}` },
        })
      ).ok,
    POLL,
  );
});

afterAll(async () => {
  process.env = savedEnv;
  double.closeAll();
  proxyServer?.closeAllConnections();
  await Promise.all([new Promise((r) => double.server.close(r)), new Promise((r) => proxyServer?.close(r))]);
  // No kubelet will ever confirm this Pod's shutdown: delete it at once so the namespace can go.
  await core.deleteNamespacedPod({ namespace, name: `${name}-0`, gracePeriodSeconds: 0 }).catch(() => undefined);
  await core.deleteNamespace({ name: namespace }).catch(() => undefined);
  await database?.drop();
});

describe("inference proxy through the apiserver service proxy", () => {
  const client = () =>
    new OpenAI({ baseURL: `${base}/api/inference/${namespace}/${name}/v1`, apiKey: token, maxRetries: 0 });

  it("answers a chat completion and records its usage", async () => {
    const answer = await client().chat.completions.create({
      model: "phi-3-mini-4k-instruct",
      messages: [{ role: "user", content: "Through the apiserver?" }],
      max_tokens: 8,
    });
    expect(answer.choices[0].message.content).toMatch(/^Echo from phi-3-mini-4k-instruct:/);
    expect(answer.usage?.completion_tokens).toBe(8);
    const row = await waitFor(
      "the usage row",
      () => db.inferenceUsage.findFirst({ where: { userId, stream: false } }).then((r) => r ?? undefined),
      POLL,
    );
    expect(row).toMatchObject({ namespace, workspace: name, status: 200, completionTokens: 8 });
  });

  it("streams token by token through the apiserver", async () => {
    const stream = await client().chat.completions.create({
      model: "phi-3-mini-4k-instruct",
      messages: [{ role: "user", content: "Stream it" }],
      max_tokens: 16,
      stream: true,
      stream_options: { include_usage: true },
    });
    const { text, contentChunks, usage } = await readChatStream(stream);
    expect(text).toMatch(/^Echo from phi-3-mini-4k-instruct:/);
    expect(contentChunks).toBe(16);
    expect(usage?.completion_tokens).toBe(16);
  });

  it("names the Kubernetes API server, not the model server, when the apiserver refuses", async () => {
    // A ready Workspace without a Service: the apiserver answers for itself (404, a Status).
    await createInferenceWorkspace(namespace, "unserved");
    await setInferenceReady(namespace, "unserved", true);
    const message = await waitFor(
      "the proxy to pass the apiserver's refusal on",
      async () => {
        const res = await fetch(`${base}/api/inference/${namespace}/unserved/v1/chat/completions`, {
          method: "POST",
          headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
          body: JSON.stringify({ model: "phi-3-mini-4k-instruct", messages: [{ role: "user", content: "hi" }] }),
        });
        const { error } = (await res.json()) as { error: { message: string } };
        // Until the proxy's watch cache has the Workspace, the proxy itself answers "not found".
        return /Kubernetes API server/.test(error.message) && `${res.status} ${error.message}`;
      },
      POLL,
    );
    expect(message).toMatch(
      new RegExp(
        `^404 The Kubernetes API server refused to proxy to the model server of ${namespace}/unserved \\(HTTP 404: NotFound`,
      ),
    );
  });
});
