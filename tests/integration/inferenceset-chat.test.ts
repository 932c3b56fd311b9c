// Chat through an InferenceSet: the proxy takes the set's name as a target and spreads requests
// over its Ready children (least outstanding first, taking turns), passes over a replica that
// answers 429 (the request goes to another, the caller never sees it), and stops sending to a
// child once it is gone or not Ready. The children are real Workspaces on the local cluster made
// ready through their status; the model servers are a small HTTP stub that says which replica
// answered, reached through the proxy's static endpoint mode.
import { randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";

import { CoreV1Api, CustomObjectsApi } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { KAITO_GROUP, WORKSPACE_PLURAL, WORKSPACE_VERSION } from "@/lib/kaito/api";
import { getDb, type PrismaClient } from "@/server/db/client";
import { loadKubeConfig } from "@/server/kube/kubeconfig";
import { createTokenViewer, startInferenceProxy } from "@/tests/support/inference-proxy";
import { databaseKinds, useTestDatabase } from "@/tests/support/test-database";
import { waitFor } from "@/tests/support/wait-for";
import { setInferenceReady } from "@/tests/support/workspace-status";

const run = randomBytes(3).toString("hex");
const namespace = `it-iset-chat-${run}`;
const SET = "chat-set";
const CHILDREN = [`${SET}-bcdfg`, `${SET}-hjklm`, `${SET}-npqrs`];
const kc = loadKubeConfig().kc;
const custom = kc.makeApiClient(CustomObjectsApi);
const core = kc.makeApiClient(CoreV1Api);

/** Replicas that answer 429 (a full vLLM queue), by name. */
const busy = new Set<string>();
const hits: string[] = [];
const upstream = http.createServer((req, res) => {
  const name = /\/ws\/[^/]+\/([^/]+)\//.exec(req.url ?? "")?.[1] ?? "?";
  req.resume();
  req.on("end", () => {
    hits.push(name);
    if (busy.has(name)) {
      res.writeHead(429, { "content-type": "application/json", "retry-after": "30" });
      return void res.end(JSON.stringify({ error: { message: "queue full" } }));
    }
    res.writeHead(200, { "content-type": "application/json" });
    res.end(
      JSON.stringify({
        id: "chatcmpl-1",
        object: "chat.completion",
        model: "phi-4-mini-instruct",
        choices: [{ index: 0, message: { role: "assistant", content: `answered by ${name}` }, finish_reason: "stop" }],
        usage: { prompt_tokens: 3, completion_tokens: 3, total_tokens: 6 },
      }),
    );
  });
});

let database: Awaited<ReturnType<typeof useTestDatabase>>;
let db: PrismaClient;
let proxyServer: http.Server;
let base: string;
let token: string;

function child(name: string) {
  return {
    apiVersion: `${KAITO_GROUP}/${WORKSPACE_VERSION}`,
    kind: "Workspace",
    metadata: { name, namespace, labels: { "inferenceset.kaito.sh/created-by": SET } },
    resource: { instanceType: "Standard_NC24ads_A100_v4", labelSelector: { matchLabels: { apps: SET } } },
    inference: { preset: { name: "phi-4-mini-instruct" } },
  };
}

async function chat(target = SET): Promise<{ status: number; text: string }> {
  const res = await fetch(`${base}/api/inference/${namespace}/${target}/v1/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify({ model: "phi-4-mini-instruct", messages: [{ role: "user", content: "hi" }] }),
  });
  const body = (await res.json()) as { choices?: { message: { content: string } }[]; error?: { message: string } };
  return { status: res.status, text: body.choices?.[0]?.message.content ?? body.error?.message ?? "" };
}

beforeAll(async () => {
  database = await useTestDatabase(databaseKinds().at(-1)!);
  db = await getDb();
  await core.createNamespace({ body: { metadata: { name: namespace } } });
  for (const name of CHILDREN) {
    await custom.createNamespacedCustomObject({
      group: KAITO_GROUP,
      version: WORKSPACE_VERSION,
      namespace,
      plural: WORKSPACE_PLURAL,
      body: child(name),
    });
    await setInferenceReady(namespace, name, true);
  }
  await new Promise<void>((resolve) => upstream.listen(0, "127.0.0.1", resolve));
  process.env.INFERENCE_ENDPOINT_MODE = "static";
  process.env.INFERENCE_STATIC_URL_TEMPLATE = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}/ws/{namespace}/{name}`;
  ({ server: proxyServer, base } = await startInferenceProxy());
  ({ token } = await createTokenViewer(db, `iset-chat-${run}@example.com`, "set chat"));
  await waitFor("the watch cache to see every replica ready", async () => {
    const seen = new Set<string>();
    for (let i = 0; i < 6; i++) seen.add((await chat()).text);
    return seen.size === 3;
  });
});

afterAll(async () => {
  proxyServer?.closeAllConnections();
  await Promise.all([new Promise((r) => upstream.close(r)), new Promise((r) => proxyServer?.close(r))]);
  await core.deleteNamespace({ name: namespace }).catch(() => undefined);
  await database?.drop();
});

describe("chat through an InferenceSet", () => {
  it("reaches every Ready replica and records usage under the replica that answered", async () => {
    const answers = [];
    for (let i = 0; i < 9; i++) answers.push(await chat());
    expect(answers.every((a) => a.status === 200)).toBe(true);
    expect(new Set(answers.map((a) => a.text))).toEqual(new Set(CHILDREN.map((c) => `answered by ${c}`)));
    const rows = await waitFor("usage rows of every replica", async () => {
      const found = await db.inferenceUsage.findMany({ where: { namespace, status: 200 } });
      return new Set(found.map((r) => r.workspace)).size === 3 && found;
    });
    expect(new Set(rows.map((r) => r.workspace))).toEqual(new Set(CHILDREN));
  });

  it("hands a request that a replica refuses with 429 to another, so the caller never sees the 429", async () => {
    busy.add(CHILDREN[0]);
    hits.length = 0;
    const answers = [];
    for (let i = 0; i < 6; i++) answers.push(await chat());
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200, 200]);
    expect(answers.some((a) => a.text === `answered by ${CHILDREN[0]}`)).toBe(false);
    // Once refused, the busy replica is passed over for its Retry-After instead of asked each time.
    expect(hits.filter((h) => h === CHILDREN[0]).length).toBeLessThanOrEqual(1);
    busy.clear();
  });

  it("sends nothing to a replica once it is not Ready or gone, and says so when none is left", async () => {
    await setInferenceReady(namespace, CHILDREN[1], false);
    await custom.deleteNamespacedCustomObject({
      group: KAITO_GROUP,
      version: WORKSPACE_VERSION,
      namespace,
      plural: WORKSPACE_PLURAL,
      name: CHILDREN[2],
    });
    await waitFor("only the first replica to answer", async () => {
      for (let i = 0; i < 4; i++) if ((await chat()).text !== `answered by ${CHILDREN[0]}`) return false;
      return true;
    });
    hits.length = 0;
    for (let i = 0; i < 5; i++) expect((await chat()).text).toBe(`answered by ${CHILDREN[0]}`);
    expect(new Set(hits)).toEqual(new Set([CHILDREN[0]]));

    await setInferenceReady(namespace, CHILDREN[0], false);
    const refused = await waitFor("a refusal", async () => {
      const answer = await chat();
      return answer.status === 409 && answer;
    });
    expect(refused.text).toBe(`InferenceSet ${namespace}/${SET} has no replica ready for inference`);
    expect((await chat("no-such-set")).status).toBe(404);
  });
});
