// Chat beside upstream Kaito: upstream's ready phi-3 Workspace and its two Services, applied as
// upstream's controller wrote them (tests/fixtures/upstream-kaito-v012/ready-phi3.yaml: the
// Service named after the Workspace, port 80 "http" to target 5000, selecting the pod by
// `kaito.sh/workspace` and its StatefulSet pod name), and the dashboard's proxy in
// `apiserver-proxy` mode reaching the model server through that Service. Nothing here names an
// Endpoints object: kube-controller-manager fills it from the Service's selector, as on a real
// cluster. KWOK pods have no network, so the pod behind the Service is upstream's pod (its
// labels, name and container ports) bound to a node nothing runs, with this machine's own
// non-loopback address in its status; the model-server double listens there on upstream's
// target port (see inference-apiserver-proxy.test.ts for why the apiserver needs a Pod's address).
import http from "node:http";
import os from "node:os";

import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createModelServer } from "@/dev/model-server/create-model-server";
import { pathModelSource } from "@/dev/model-server/workspace-models";
import { getDb, type PrismaClient } from "@/server/db/client";
import type { KubeClient } from "@/server/kube/kube-client";
import { createTokenViewer, startInferenceProxy } from "@/tests/support/inference-proxy";
import { databaseKinds, useTestDatabase } from "@/tests/support/test-database";
import { waitFor } from "@/tests/support/wait-for";

import { adminClient, uniqueName } from "./controller-harness";
import { asPosted, loadFixture, UpstreamReplay } from "./observe-fixtures";

type Container = { name: string; image: string; ports?: { containerPort: number }[] };
type Endpoints = { subsets?: { addresses?: { ip: string }[]; ports?: { name?: string; port: number }[] }[] };

const namespace = uniqueName("it-observe-chat");
const podName = "workspace-phi-3-mini-0";
const model = "phi-3-mini-4k-instruct";
const double = createModelServer({
  ttftMs: 10,
  tokenDelayMs: 2,
  maxConcurrency: 8,
  maxQueue: 8,
  defaultModel: model,
  models: pathModelSource(),
});

// Where the apiserver can reach the double: this machine's first non-loopback IPv4 address.
const hostAddress = Object.values(os.networkInterfaces())
  .flat()
  .find((a) => a && a.family === "IPv4" && !a.internal)?.address;

let client: KubeClient;
let replay: UpstreamReplay;
let database: Awaited<ReturnType<typeof useTestDatabase>>;
let db: PrismaClient;
let proxyServer: http.Server;
let base: string;
let token: string;
let userId: string;
let targetPort: number;
const savedEnv = { ...process.env };

const POLL = { timeoutMs: 30_000, intervalMs: 200 };

beforeAll(async () => {
  if (!hostAddress) throw new Error("this machine has no non-loopback IPv4 address for the apiserver to reach");
  client = await adminClient();
  database = await useTestDatabase(databaseKinds().at(-1)!);
  db = await getDb();
  await client.request({ method: "POST", path: "/api/v1/namespaces", body: { metadata: { name: namespace } } });

  replay = new UpstreamReplay(client, namespace);
  const fixtureItems = loadFixture("ready-phi3.yaml");
  const service = fixtureItems.find((i) => i.kind === "Service" && i.metadata.name === replay.name)!;
  targetPort = (service.spec as { ports: { name: string; targetPort: number }[] }).ports.find(
    (p) => p.name === "http",
  )!.targetPort;
  await new Promise<void>((resolve, reject) => {
    double.server.once("error", (error: NodeJS.ErrnoException) =>
      reject(
        error.code === "EADDRINUSE"
          ? new Error(
              `port ${targetPort} (upstream's target port) is taken on this machine; the double must listen there`,
            )
          : error,
      ),
    );
    double.server.listen(targetPort, "0.0.0.0", resolve);
  });

  const ws = await replay.createWorkspace();
  await replay.createServices(ws);
  const pod = asPosted(
    fixtureItems.find((i) => i.kind === "Pod" && i.metadata.name === podName)!,
    { "up-ready-phi3": namespace },
  );
  const containers = (pod.spec as { containers: Container[] }).containers;
  await client.request({
    method: "POST",
    path: `/api/v1/namespaces/${namespace}/pods`,
    body: {
      ...pod,
      spec: {
        nodeName: "no-such-node",
        containers: containers.map(({ name, image, ports }) => ({ name, image, ports })),
      },
    },
  });
  await client.request({
    method: "PATCH",
    path: `/api/v1/namespaces/${namespace}/pods/${podName}/status`,
    contentType: "application/merge-patch+json",
    body: {
      status: {
        phase: "Running",
        podIP: hostAddress,
        podIPs: [{ ip: hostAddress }],
        conditions: [{ type: "Ready", status: "True" }],
      },
    },
  });
  await replay.writeStatus("no-such-node");

  process.env.INFERENCE_ENDPOINT_MODE = "apiserver-proxy";
  delete process.env.INFERENCE_STATIC_URL_TEMPLATE;
  ({ server: proxyServer, base } = await startInferenceProxy());
  ({ userId, token } = await createTokenViewer(db, `${namespace}@example.com`, "sdk"));
});

afterAll(async () => {
  process.env = savedEnv;
  double.closeAll();
  proxyServer?.closeAllConnections();
  await Promise.all([new Promise((r) => double.server.close(r)), new Promise((r) => proxyServer?.close(r))]);
  // No kubelet will confirm this pod's shutdown, and upstream's finalizer holds the Workspace.
  await client
    ?.request({
      method: "DELETE",
      path: `/api/v1/namespaces/${namespace}/pods/${podName}`,
      query: { gracePeriodSeconds: 0 },
    })
    .catch(() => undefined);
  await client
    ?.request({
      method: "PATCH",
      path: replay.workspacePath,
      contentType: "application/merge-patch+json",
      body: { metadata: { finalizers: null } },
    })
    .catch(() => undefined);
  await client?.request({ method: "DELETE", path: `/api/v1/namespaces/${namespace}` }).catch(() => undefined);
  await database?.drop();
});

describe("chat beside upstream Kaito, through upstream's Service", () => {
  it("kube-controller-manager puts upstream's pod behind upstream's Service, on its target port", async () => {
    const endpoints = await waitFor(
      "the Service's endpoints",
      async () => {
        const ep = await client.request<Endpoints>({
          method: "GET",
          path: `/api/v1/namespaces/${namespace}/endpoints/${replay.name}`,
        });
        return ep.subsets?.length ? ep : undefined;
      },
      POLL,
    );
    expect(endpoints.subsets?.[0].addresses).toEqual([expect.objectContaining({ ip: hostAddress })]);
    expect(endpoints.subsets?.[0].ports).toContainEqual(expect.objectContaining({ name: "http", port: targetPort }));
  });

  it("answers a chat completion on upstream's Workspace through the apiserver and records its usage", async () => {
    const openai = new OpenAI({
      baseURL: `${base}/api/inference/${namespace}/${replay.name}/v1`,
      apiKey: token,
      maxRetries: 0,
    });
    // Until the proxy's watch cache has the Workspace as upstream made it ready, it answers 404.
    const answer = await waitFor(
      "a chat answer through upstream's Service",
      () =>
        openai.chat.completions.create({
          model,
          messages: [{ role: "user", content: "Beside upstream Kaito?" }],
          max_tokens: 8,
        }),
      POLL,
    );
    expect(answer.choices[0].message.content).toMatch(new RegExp(`^Echo from ${model}:`));
    expect(answer.usage?.completion_tokens).toBe(8);
    const row = await waitFor(
      "the usage row",
      () => db.inferenceUsage.findFirst({ where: { userId, status: 200 } }).then((r) => r ?? undefined),
      POLL,
    );
    expect(row).toMatchObject({ namespace, workspace: replay.name, status: 200, completionTokens: 8 });
  });
});
