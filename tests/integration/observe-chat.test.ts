// Chat beside upstream Kaito: upstream's ready phi-3 Workspace and its two Services, applied as
// upstream's controller wrote them (tests/fixtures/upstream-kaito-v012/ready-phi3.yaml: the
// Service named after the Workspace, port 80 "http" to target 5000, selecting the pod by
// `kaito.sh/workspace` and its StatefulSet pod name), and the dashboard's proxy in
// `apiserver-proxy` mode reaching the model server through that Service. Nothing here names an
// Endpoints object: kube-controller-manager fills it from the Service's selector, as on a real
// cluster. KWOK pods have no network, so the pod behind the Service is upstream's pod (its
// labels, name and container ports) made reachable at this machine's own address
// (createReachablePod); the model-server double listens there on upstream's target port.
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { getDb, type PrismaClient } from "@/server/db/client";
import type { KubeClient } from "@/server/kube/kube-client";
import {
  createReachablePod,
  deleteReachablePod,
  startApiserverProxyRig,
  type ApiserverProxyRig,
} from "@/tests/support/inference-proxy";
import { databaseKinds, useTestDatabase } from "@/tests/support/test-database";
import { waitFor } from "@/tests/support/wait-for";

import { adminClient, uniqueName } from "./controller-harness";
import { asPosted, loadFixture, UpstreamReplay } from "./observe-fixtures";

type Container = { name: string; image: string; ports?: { containerPort: number }[] };
type Endpoints = { subsets?: { addresses?: { ip: string }[]; ports?: { name?: string; port: number }[] }[] };

const namespace = uniqueName("it-observe-chat");
const podName = "workspace-phi-3-mini-0";

let client: KubeClient;
let replay: UpstreamReplay;
let database: Awaited<ReturnType<typeof useTestDatabase>>;
let db: PrismaClient;
let rig: ApiserverProxyRig;
let targetPort: number;

const POLL = { timeoutMs: 30_000, intervalMs: 200 };

beforeAll(async () => {
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
  rig = await startApiserverProxyRig(db, `${namespace}@example.com`, targetPort);

  const ws = await replay.createWorkspace();
  await replay.createServices(ws);
  const pod = asPosted(
    fixtureItems.find((i) => i.kind === "Pod" && i.metadata.name === podName)!,
    { "up-ready-phi3": namespace },
  );
  const containers = (pod.spec as { containers: Container[] }).containers;
  await createReachablePod(
    namespace,
    { metadata: pod.metadata, containers: containers.map(({ name, image, ports }) => ({ name, image, ports })) },
    rig.address,
  );
  await replay.writeStatus("no-such-node");
});

afterAll(async () => {
  await rig?.close();
  await deleteReachablePod(namespace, podName);
  // Upstream's finalizer holds the Workspace.
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
    expect(endpoints.subsets?.[0].addresses).toEqual([expect.objectContaining({ ip: rig.address })]);
    expect(endpoints.subsets?.[0].ports).toContainEqual(expect.objectContaining({ name: "http", port: targetPort }));
  });

  it("answers a chat completion on upstream's Workspace through the apiserver and records its usage", async () => {
    const openai = new OpenAI({
      baseURL: `${rig.base}/api/inference/${namespace}/${replay.name}/v1`,
      apiKey: rig.token,
      maxRetries: 0,
    });
    // Until the proxy's watch cache has the Workspace as upstream made it ready, it answers 404.
    const answer = await waitFor(
      "a chat answer through upstream's Service",
      () =>
        openai.chat.completions.create({
          model: rig.model,
          messages: [{ role: "user", content: "Beside upstream Kaito?" }],
          max_tokens: 8,
        }),
      POLL,
    );
    expect(answer.choices[0].message.content).toMatch(new RegExp(`^Echo from ${rig.model}:`));
    expect(answer.usage?.completion_tokens).toBe(8);
    const row = await waitFor(
      "the usage row",
      () => db.inferenceUsage.findFirst({ where: { userId: rig.userId, status: 200 } }).then((r) => r ?? undefined),
      POLL,
    );
    expect(row).toMatchObject({ namespace, workspace: replay.name, status: 200, completionTokens: 8 });
  });
});
