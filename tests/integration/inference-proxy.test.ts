import { randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";

import { CoreV1Api, CustomObjectsApi } from "@kubernetes/client-node";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

import { updateInferenceSettingsAction } from "@/app/settings/actions";

import { createModelServer } from "@/dev/model-server/create-model-server";
import { clusterModelSource } from "@/dev/model-server/workspace-models";
import { KAITO_GROUP, WORKSPACE_PLURAL, WORKSPACE_VERSION } from "@/lib/kaito/api";
import { getDb, type PrismaClient } from "@/server/db/client";
import { getWorkspaceUsage } from "@/server/inference/get-workspace-usage";
import { loadKubeConfig } from "@/server/kube/kubeconfig";
import { waitFor } from "@/tests/support/wait-for";
import { createTokenViewer, readChatStream, startInferenceProxy } from "@/tests/support/inference-proxy";
import { seedUsers } from "@/tests/support/seed-users";
import { databaseKinds, useTestDatabase } from "@/tests/support/test-database";
import { setInferenceReady } from "@/tests/support/workspace-status";

// The settings action reads its caller from next/headers; outside a Next request the test supplies them.
const requestHeaders = vi.hoisted(() => ({ current: new Headers() }));
vi.mock("next/headers", () => ({
  headers: async () => requestHeaders.current,
  cookies: async () => ({ get: () => undefined }),
}));

// The real local cluster (Workspaces in their own namespace, status set through the status
// subresource because no controller runs GPUs here), the real database, the model-server double
// reading those Workspaces, and the proxy handler exactly as server/web-server.ts mounts it.
const run = randomBytes(3).toString("hex");
const namespace = `it-inference-${run}`;
const kc = loadKubeConfig().kc;
const custom = kc.makeApiClient(CustomObjectsApi);
const core = kc.makeApiClient(CoreV1Api);
const double = createModelServer({
  ttftMs: 10,
  tokenDelayMs: 2,
  maxConcurrency: 8,
  maxQueue: 8,
  defaultModel: "unused",
  models: clusterModelSource(kc, 200),
});

let database: Awaited<ReturnType<typeof useTestDatabase>>;
let db: PrismaClient;
let proxyServer: http.Server;
let base: string;
let token: string;
let userId: string;

function workspace(name: string, adapters: string[] = []) {
  return {
    apiVersion: `${KAITO_GROUP}/${WORKSPACE_VERSION}`,
    kind: "Workspace",
    metadata: { name, namespace },
    resource: { instanceType: "Standard_NC6s_v3", labelSelector: { matchLabels: { apps: name } } },
    inference: {
      preset: { name: "phi-3-mini-4k-instruct" },
      ...(adapters.length
        ? {
            adapters: adapters.map((a) => ({ source: { name: a, image: `registry.example/${a}:1` }, strength: "1.0" })),
          }
        : {}),
    },
  };
}

// Polls as the tests always have: every 100 ms for up to 10 s.
const POLL = { timeoutMs: 10_000, intervalMs: 100 };

const client = (apiKey = token, ws = "ready") =>
  new OpenAI({ baseURL: `${base}/api/inference/${namespace}/${ws}/v1`, apiKey, maxRetries: 0 });

beforeAll(async () => {
  // PostgreSQL when the run provides one, else PGlite.
  database = await useTestDatabase(databaseKinds().at(-1)!);
  db = await getDb();

  await core.createNamespace({ body: { metadata: { name: namespace } } });
  for (const body of [workspace("ready", ["support-tone"]), workspace("cold")])
    await custom.createNamespacedCustomObject({
      group: KAITO_GROUP,
      version: WORKSPACE_VERSION,
      namespace,
      plural: WORKSPACE_PLURAL,
      body,
    });
  await setInferenceReady(namespace, "ready", true);
  await setInferenceReady(namespace, "cold", false);

  await new Promise<void>((resolve) => double.server.listen(0, "127.0.0.1", resolve));
  process.env.INFERENCE_ENDPOINT_MODE = "static";
  process.env.INFERENCE_STATIC_URL_TEMPLATE = `http://127.0.0.1:${(double.server.address() as AddressInfo).port}/ws/{namespace}/{name}`;
  process.env.INFERENCE_RESPONSE_TIMEOUT_MS = "3000";
  ({ server: proxyServer, base } = await startInferenceProxy());
  ({ userId, token } = await createTokenViewer(db, `chat-${run}@example.com`, "openai sdk"));

  // The proxy reads Workspaces from the watch cache; wait until it has seen the ready one.
  await waitFor(
    "the watch cache",
    async () =>
      (
        await fetch(`${base}/api/inference/${namespace}/ready/v1/models`, {
          headers: { authorization: `Bearer ${token}` },
        })
      ).ok,
    POLL,
  );
});

afterAll(async () => {
  double.closeAll();
  proxyServer?.closeAllConnections();
  await Promise.all([new Promise((r) => double.server.close(r)), new Promise((r) => proxyServer?.close(r))]);
  await core.deleteNamespace({ name: namespace }).catch(() => undefined);
  await database?.drop();
});

describe("inference proxy with the openai SDK", () => {
  it("lists the preset's model and the workspace's adapters", async () => {
    const models = await client().models.list();
    expect(models.data.map((m) => m.id)).toEqual(["phi-3-mini-4k-instruct", "support-tone"]);
  });

  it("answers a chat completion without streaming and records its usage", async () => {
    const answer = await client().chat.completions.create({
      model: "phi-3-mini-4k-instruct",
      messages: [{ role: "user", content: "What is a Workspace?" }],
      max_tokens: 12,
    });
    expect(answer.choices[0].message.content).toMatch(/^Echo from phi-3-mini-4k-instruct:/);
    expect(answer.usage?.completion_tokens).toBe(12);
    const row = await waitFor(
      "the usage row",
      () =>
        db.inferenceUsage
          .findFirst({ where: { namespace, workspace: "ready", userId, stream: false } })
          .then((r) => r ?? undefined),
      POLL,
    );
    expect(row).toMatchObject({
      status: 200,
      completionTokens: 12,
      promptTokens: 4,
      usageEstimated: false,
      promptText: null,
      responseText: null,
    });
  });

  it("streams a chat completion from an adapter with usage at the end", async () => {
    const stream = await client().chat.completions.create({
      model: "support-tone",
      messages: [{ role: "user", content: "Hello" }],
      max_tokens: 20,
      stream: true,
      stream_options: { include_usage: true },
    });
    const { text, chunks, usage } = await readChatStream(stream);
    expect(text).toMatch(/^Echo from support-tone:/);
    expect(chunks).toBeGreaterThan(20);
    expect(usage?.completion_tokens).toBe(20);
    const row = await waitFor(
      "the streamed usage row",
      () =>
        db.inferenceUsage
          .findFirst({ where: { userId, stream: true, model: "support-tone" } })
          .then((r) => r ?? undefined),
      POLL,
    );
    expect(row.completionTokens).toBe(20);
    expect(row.ttftMs).toBeGreaterThanOrEqual(10);
  });

  it("refuses a workspace that is not ready, then serves it once the watch sees it ready", async () => {
    const refused = await client(token, "cold")
      .chat.completions.create({ model: "phi-3-mini-4k-instruct", messages: [{ role: "user", content: "hi" }] })
      .catch((e) => e);
    expect(refused).toBeInstanceOf(OpenAI.APIError);
    expect(refused.status).toBe(409);
    expect(refused.message).toMatch(/not ready/);

    await setInferenceReady(namespace, "cold", true);
    await waitFor(
      "cold to become ready",
      async () => (await client(token, "cold").models.list()).data.length > 0,
      POLL,
    );
  });

  it("refuses bad tokens and anything outside the path allow-list", async () => {
    const denied = await client("kd_" + "x".repeat(43))
      .models.list()
      .catch((e) => e);
    expect(denied.status).toBe(401);
    for (const raw of [
      `/api/inference/${namespace}/ready/metrics`,
      `/api/inference/${namespace}/ready/v1/../metrics`,
      `/api/inference/${namespace}/ready/%2e%2e/health`,
      `/api/inference/${namespace}/ready@127.0.0.1:1/v1/models`,
      `/api/inference/${namespace}/ready/v1/models/../../../../_double/faults`,
    ]) {
      const status = await new Promise<number>((resolve, reject) =>
        http
          .get(
            {
              host: "127.0.0.1",
              port: Number(new URL(base).port),
              path: raw,
              headers: { authorization: `Bearer ${token}` },
            },
            (res) => {
              res.resume();
              resolve(res.statusCode ?? 0);
            },
          )
          .on("error", reject),
      );
      expect(status, raw).toBe(404);
    }
  });

  it("maps a full model-server queue to 429", async () => {
    double.faults.set(`${namespace}/ready`, "overload");
    try {
      const error = await client()
        .chat.completions.create({ model: "phi-3-mini-4k-instruct", messages: [{ role: "user", content: "hi" }] })
        .catch((e) => e);
      expect(error).toBeInstanceOf(OpenAI.RateLimitError);
      expect(error.message).toMatch(/busy/);
    } finally {
      double.faults.set(`${namespace}/ready`, "none");
    }
  });

  it("cancels the generation upstream when the client aborts", async () => {
    const abort = new AbortController();
    const stream = await client().chat.completions.create(
      {
        model: "phi-3-mini-4k-instruct",
        messages: [{ role: "user", content: "long" }],
        max_tokens: 4000,
        stream: true,
        ignore_eos: true,
      } as OpenAI.ChatCompletionCreateParamsStreaming,
      { signal: abort.signal },
    );
    let seen = 0;
    // The SDK ends the iteration quietly on abort (or throws an APIUserAbortError, depending on timing).
    try {
      for await (const _chunk of stream) if (++seen === 5) abort.abort();
    } catch (error) {
      expect(error).toBeInstanceOf(OpenAI.APIUserAbortError);
    }
    expect(seen).toBeLessThan(100);
    const metrics = () =>
      fetch(`${process.env.INFERENCE_STATIC_URL_TEMPLATE!.split("/ws/")[0]}/ws/${namespace}/ready/metrics`).then((r) =>
        r.text(),
      );
    await waitFor(
      "the double to stop generating",
      async () => /^vllm:num_requests_running\{.*\} 0$/m.test(await metrics()),
      POLL,
    );
    await waitFor(
      "the aborted request's usage row",
      () => db.inferenceUsage.findFirst({ where: { userId, status: 499 } }).then((r) => r ?? undefined),
      POLL,
    );
  });

  it("summarizes the recorded requests for the workspace's usage charts", async () => {
    const usage = await getWorkspaceUsage(namespace, "ready");
    expect(usage.totals.requests).toBeGreaterThanOrEqual(4);
    expect(usage.totals.completionTokens).toBeGreaterThanOrEqual(32);
    const busiest = usage.buckets.reduce((a, b) => (b.requests > a.requests ? b : a));
    expect(busiest.ttftP50).toBeGreaterThanOrEqual(10);
  });
});

describe("storing prompts and answers (admin setting)", () => {
  it("stores them only after an admin enables it on the Settings page, and audits the change", async () => {
    const users = await seedUsers(`content-${run}`);
    const ask = (content: string) =>
      client().chat.completions.create({
        model: "phi-3-mini-4k-instruct",
        messages: [{ role: "user", content }],
        max_tokens: 4,
      });
    const rowFor = (content: string) =>
      db.inferenceUsage.findFirst({ where: { userId, promptText: { contains: content } } });

    const since = new Date();
    await ask("before-enabling");
    const before = await waitFor(
      "the usage row of the first request",
      () =>
        db.inferenceUsage
          .findFirst({ where: { userId, occurredAt: { gte: since } }, orderBy: { id: "desc" } })
          .then((r) => r ?? undefined),
      POLL,
    );
    expect(before).toMatchObject({ status: 200, promptText: null, responseText: null });

    requestHeaders.current = new Headers({ authorization: `Bearer ${users.operator.token}` });
    expect(await updateInferenceSettingsAction({ recordContent: true })).toMatchObject({
      ok: false,
      error: { code: "forbidden" },
    });
    requestHeaders.current = new Headers({ authorization: `Bearer ${users.admin.token}` });
    expect(await updateInferenceSettingsAction({ recordContent: true })).toEqual({
      ok: true,
      data: { recordContent: true },
    });
    const audit = await db.auditEvent.findMany({
      where: { action: "settings.update", actorEmail: { in: [users.operator.email, users.admin.email] } },
      orderBy: { id: "asc" },
    });
    expect(audit.map((e) => [e.actorEmail, e.outcome, e.targetName])).toEqual([
      [users.operator.email, "denied", "inference.recordContent"],
      [users.admin.email, "succeeded", "inference.recordContent"],
    ]);

    // The proxy re-reads the setting in the background at most every 5 s.
    const recorded = await waitFor(
      "a request recorded with its text",
      async () => {
        await ask("after-enabling");
        return (await rowFor("after-enabling")) ?? undefined;
      },
      POLL,
    );
    expect(recorded.promptText).toContain("after-enabling");
    expect(recorded.responseText?.length).toBeGreaterThan(0);

    expect(await updateInferenceSettingsAction({ recordContent: false })).toMatchObject({ ok: true });
  }, 30_000);
});
