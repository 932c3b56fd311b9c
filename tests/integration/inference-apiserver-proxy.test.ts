// The proxy's apiserver-proxy endpoint mode (out of cluster, kubeconfig credentials) against the
// local cluster's real kube-apiserver: the request goes through
// /api/v1/namespaces/{ns}/services/{name}:80/proxy/… to the model-server double. KWOK pods have no
// network, so the Workspace's Service here has no selector and hand-made Endpoints pointing at the
// double on this machine's own non-loopback address, which a reachable Pod (createReachablePod)
// lets the apiserver proxy to. Everything from the proxy to the apiserver and on to the double is
// real.
import { randomBytes } from "node:crypto";

import { CoreV1Api } from "@kubernetes/client-node";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { getDb, type PrismaClient } from "@/server/db/client";
import { loadKubeConfig } from "@/server/kube/kubeconfig";
import { waitFor } from "@/tests/support/wait-for";
import {
  createReachablePod,
  deleteReachablePod,
  readChatStream,
  startApiserverProxyRig,
  type ApiserverProxyRig,
} from "@/tests/support/inference-proxy";
import { databaseKinds, useTestDatabase } from "@/tests/support/test-database";
import { createInferenceWorkspace, setInferenceReady } from "@/tests/support/workspace-status";

const run = randomBytes(3).toString("hex");
const namespace = `it-inference-apiproxy-${run}`;
const name = "served";
const kc = loadKubeConfig().kc;
const core = kc.makeApiClient(CoreV1Api);

let database: Awaited<ReturnType<typeof useTestDatabase>>;
let db: PrismaClient;
let rig: ApiserverProxyRig;

// Polls as the tests always have: every 100 ms for up to 10 s.
const POLL = { timeoutMs: 10_000, intervalMs: 100 };

beforeAll(async () => {
  database = await useTestDatabase(databaseKinds().at(-1)!);
  db = await getDb();
  rig = await startApiserverProxyRig(db, `apiproxy-${run}@example.com`);
  const { address, port } = rig;

  await core.createNamespace({ body: { metadata: { name: namespace } } });
  await core.createNamespacedService({
    namespace,
    body: { metadata: { name }, spec: { ports: [{ name: "http", port: 80, targetPort: port }] } },
  });
  await createReachablePod(
    namespace,
    { metadata: { name: `${name}-0` }, containers: [{ name: "vllm", image: "registry.example/vllm:1" }] },
    address,
  );
  await core.createNamespacedEndpoints({
    namespace,
    body: {
      metadata: { name },
      subsets: [
        {
          addresses: [{ ip: address, targetRef: { kind: "Pod", name: `${name}-0`, namespace } }],
          ports: [{ name: "http", port }],
        },
      ],
    },
  });
  await createInferenceWorkspace(namespace, name);
  await setInferenceReady(namespace, name, true);

  await waitFor(
    "the model list through the apiserver",
    async () =>
      (
        await fetch(`${rig.base}/api/inference/${namespace}/${name}/v1/models`, {
          headers: { authorization: `Bearer ${rig.token}` },
        })
      ).ok,
    POLL,
  );
});

afterAll(async () => {
  await rig?.close();
  await deleteReachablePod(namespace, `${name}-0`);
  await core.deleteNamespace({ name: namespace }).catch(() => undefined);
  await database?.drop();
});

describe("inference proxy through the apiserver service proxy", () => {
  const client = () =>
    new OpenAI({ baseURL: `${rig.base}/api/inference/${namespace}/${name}/v1`, apiKey: rig.token, maxRetries: 0 });

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
      () => db.inferenceUsage.findFirst({ where: { userId: rig.userId, stream: false } }).then((r) => r ?? undefined),
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
        const res = await fetch(`${rig.base}/api/inference/${namespace}/unserved/v1/chat/completions`, {
          method: "POST",
          headers: { authorization: `Bearer ${rig.token}`, "content-type": "application/json" },
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
