// The upload fast path (server/adapters/adapter-upload-route.ts), served by node:http in front of
// Next as server/web-server.ts does: real HTTP, real registry, real database, real tokens.
import { randomBytes } from "node:crypto";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { encode } from "next-auth/jwt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startRegistry, type RunningRegistry } from "@/dev/registry/start-registry";
import { DELETE as deleteAdapterRoute } from "@/app/api/adapters/[name]/route";
import { POST as uploadAdapter } from "@/server/adapters/adapter-upload-route";
import { adapterConfigJson, smallSafetensors } from "@/server/adapters/testing/make-adapter-files";
import { closeDb, getDb, type PrismaClient } from "@/server/db/client";
import { generateApiToken } from "@/server/tokens/api-token";

import { waitFor } from "../support/wait-for";
import { startInferenceProxy } from "../support/inference-proxy";

const run = randomBytes(3).toString("hex");
let work: string;
let registry: RunningRegistry;
let server: http.Server;
let base: string;
let db: PrismaClient;
const tokens: Record<"admin" | "viewer", string> = { admin: "", viewer: "" };
let adminId = "";

beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), "kd-upload-route-"));
  if (!process.env.DATABASE_URL) process.env.PGLITE_DIR = path.join(work, "db");
  registry = await startRegistry();
  process.env.ADAPTER_REGISTRY_URL = registry.url;
  process.env.ADAPTER_UPLOAD_DIR = path.join(work, "uploads");
  process.env.AUTH_SECRET ??= "adapters-it-secret-0123456789abcdefghijkl";
  // One upload at a time, so that the concurrency case below needs only one held upload.
  process.env.ADAPTER_MAX_CONCURRENT_UPLOADS = "1";
  db = await getDb();
  for (const role of ["admin", "viewer"] as const) {
    const user = await db.user.create({ data: { email: `${role}-${run}@example.com`, role } });
    const token = generateApiToken();
    await db.apiToken.create({ data: { userId: user.id, name: "it", prefix: token.prefix, hash: token.hash } });
    tokens[role] = token.token;
    if (role === "admin") adminId = user.id;
  }
  server = http.createServer((req, res) => {
    if (uploadAdapter.matches(req)) return void uploadAdapter(req, res);
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await closeDb();
  await registry?.stop();
  await rm(work, { recursive: true, force: true });
});

function form(name: string, config = adapterConfigJson()): FormData {
  const body = new FormData();
  body.append("name", name);
  body.append("baseModel", "phi-3-mini-4k-instruct");
  body.append("files", new Blob([config]), "adapter_config.json");
  body.append("files", new Blob([new Uint8Array(smallSafetensors())]), "adapter_model.safetensors");
  return body;
}

type Reply = {
  adapter: { name: string; baseModel: string; digest: string };
  error: { code: string; message: string; fieldErrors: Record<string, string[]> };
};

async function post(name: string, headers: Record<string, string>, body = form(name)) {
  const response = await fetch(`${base}/api/adapters`, { method: "POST", headers, body });
  return { status: response.status, body: (await response.json()) as Reply };
}

const lastAudit = (name?: string) =>
  db.auditEvent.findFirst({
    where: { action: "adapter.upload", ...(name ? { targetName: name } : {}) },
    orderBy: { id: "desc" },
  });

describe("POST /api/adapters on the web server's fast path", () => {
  it("publishes with a bearer token, answers 201 with the record and audits it", async () => {
    const name = `route-${run}`;
    const { status, body } = await post(name, { authorization: `Bearer ${tokens.admin}` });
    expect(status).toBe(201);
    expect(body.adapter).toMatchObject({ name, baseModel: "phi-3-mini-4k-instruct" });
    expect(body.adapter.digest).toMatch(/^sha256:/);
    expect(await db.adapter.findUnique({ where: { name } })).not.toBeNull();
    const event = await lastAudit(name);
    expect(event).toMatchObject({
      outcome: "succeeded",
      actorEmail: `admin-${run}@example.com`,
      targetKind: "Adapter",
    });
    const manifest = await fetch(`${registry.url}/v2/kaito-adapters/${name}/manifests/latest`, {
      headers: { accept: "application/vnd.oci.image.manifest.v1+json" },
    });
    expect(manifest.status).toBe(200);
  });

  it("refuses anonymous callers with 401 and viewers with 403, audited as denied, nothing stored", async () => {
    const anonymous = await post(`anon-${run}`, {});
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.error.code).toBe("unauthenticated");
    expect(await lastAudit()).toMatchObject({ outcome: "denied", actorEmail: null });

    const viewer = await post(`viewer-${run}`, { authorization: `Bearer ${tokens.viewer}` });
    expect(viewer.status).toBe(403);
    expect(await lastAudit()).toMatchObject({ outcome: "denied", actorEmail: `viewer-${run}@example.com` });
    expect(await db.adapter.findMany({ where: { name: { in: [`anon-${run}`, `viewer-${run}`] } } })).toEqual([]);
  });

  it("reports a bad adapter_config.json on its field with 400, audited as failed, nothing left behind", async () => {
    const name = `badcfg-${run}`;
    const config = JSON.stringify({ ...JSON.parse(adapterConfigJson()), peft_type: "PREFIX_TUNING" });
    const { status, body } = await post(name, { authorization: `Bearer ${tokens.admin}` }, form(name, config));
    expect(status).toBe(400);
    expect(body.error.fieldErrors["adapter_config.json"][0]).toMatch(/LORA/);
    expect(await lastAudit()).toMatchObject({ outcome: "failed" });
    expect(await db.adapter.findUnique({ where: { name } })).toBeNull();
    expect(await readdir(path.join(work, "uploads"))).toEqual([]);
  });

  it("takes a session cookie from the dashboard's own origin and refuses it from another site", async () => {
    const cookie = `authjs.session-token=${await encode({
      token: { uid: adminId },
      secret: process.env.AUTH_SECRET!,
      salt: "authjs.session-token",
    })}`;
    const foreign = await post(`xsite-${run}`, { cookie, origin: "https://evil.example" });
    expect(foreign.status).toBe(403);
    expect(foreign.body.error.message).toMatch(/Cross-site/);
    expect(await db.adapter.findUnique({ where: { name: `xsite-${run}` } })).toBeNull();

    const own = await post(`cookie-${run}`, { cookie, origin: base });
    expect(own.status).toBe(201);
    expect(await lastAudit(`cookie-${run}`)).toMatchObject({ outcome: "succeeded", actorTokenId: null });
  });

  /** A multipart body written by hand, so a test controls the order and the pace of its parts. */
  function openUpload(name: string, headers: Record<string, string>) {
    const boundary = `kd-${randomBytes(8).toString("hex")}`;
    const request = http.request(`${base}/api/adapters`, {
      method: "POST",
      headers: { ...headers, "content-type": `multipart/form-data; boundary=${boundary}` },
    });
    const reply = new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Reply }>((resolve, reject) => {
      request.on("response", async (response) => {
        let text = "";
        for await (const chunk of response) text += chunk;
        resolve({ status: response.statusCode!, headers: response.headers, body: JSON.parse(text) as Reply });
      });
      request.on("error", reject);
    });
    reply.catch(() => undefined);
    request.write(`--${boundary}\r\nContent-Disposition: form-data; name="name"\r\n\r\n${name}\r\n`);
    request.write(
      `--${boundary}\r\nContent-Disposition: form-data; name="files"; filename="adapter_model.safetensors"\r\n` +
        "Content-Type: application/octet-stream\r\n\r\n",
    );
    return { request, reply, boundary };
  }

  it("refuses an oversized adapter name sent first, before the files are stored", async () => {
    const admin = { authorization: `Bearer ${tokens.admin}` };
    const name = `x${"y".repeat(80)}-${run}`;
    const upload = openUpload(name, admin);
    // The answer comes while the files part is still open: nothing after the name was needed.
    const { status, body } = await upload.reply;
    upload.request.destroy();
    expect(status).toBe(400);
    expect(body.error.fieldErrors.name[0]).toMatch(/at most 56 characters/);
    expect(await lastAudit()).toMatchObject({ outcome: "failed" });
    expect(await readdir(path.join(work, "uploads"))).toEqual([]);

    const huge = await post("z".repeat(100_000), admin);
    expect(huge.status).toBe(400);
    expect(huge.body.error.fieldErrors.name[0]).toMatch(/too long/);
    expect(await readdir(path.join(work, "uploads"))).toEqual([]);
  });

  it("answers 429 with Retry-After beyond the concurrent upload cap, and leaves nothing half-stored", async () => {
    const admin = { authorization: `Bearer ${tokens.admin}` };
    const held = openUpload(`held-${run}`, admin);
    held.request.write(Buffer.alloc(64 * 1024));
    await waitFor("the held upload's staging folder", async () => (await readdir(path.join(work, "uploads"))).length);

    const refused = await post(`second-${run}`, admin);
    expect(refused.status).toBe(429);
    expect(refused.body.error.code).toBe("rate_limited");
    expect(await lastAudit(`second-${run}`)).toBeNull();
    expect(await lastAudit()).toMatchObject({
      outcome: "failed",
      summary: expect.stringMatching(/→ 429/),
    });

    // The held upload's client goes away mid-file: its staging folder goes with it.
    held.request.destroy();
    await waitFor("the staging folder to be removed", async () =>
      (await readdir(path.join(work, "uploads"))).length === 0 ? true : undefined,
    );
    expect(await db.adapter.findMany({ where: { name: { in: [`held-${run}`, `second-${run}`] } } })).toEqual([]);

    const after = await post(`after-${run}`, admin);
    expect(after.status).toBe(201);
  });

  it("refuses a session cookie from a forged Origin on a Next route and on the chat proxy with a clear 403", async () => {
    const cookie = `authjs.session-token=${await encode({
      token: { uid: adminId },
      secret: process.env.AUTH_SECRET!,
      salt: "authjs.session-token",
    })}`;
    const forged = { cookie, origin: "https://evil.example", host: "dashboard.example" };

    const route = await deleteAdapterRoute(
      new Request(`http://dashboard.example/api/adapters/route-${run}`, { method: "DELETE", headers: forged }),
      { params: Promise.resolve({ name: `route-${run}` }) },
    );
    expect(route.status).toBe(403);
    expect(((await route.json()) as Reply).error.message).toMatch(/Cross-site request refused.*evil\.example/);
    expect(await db.adapter.findUnique({ where: { name: `route-${run}` } })).not.toBeNull();

    const proxy = await startInferenceProxy();
    try {
      const chat = await fetch(`${proxy.base}/api/inference/default/phi/v1/chat/completions`, {
        method: "POST",
        headers: { cookie, origin: "https://evil.example", "content-type": "application/json" },
        body: JSON.stringify({ model: "phi", messages: [{ role: "user", content: "hi" }] }),
      });
      expect(chat.status).toBe(403);
      expect(((await chat.json()) as { error: { code: string; message: string } }).error).toMatchObject({
        code: "forbidden",
        message: expect.stringMatching(/Cross-site request refused/),
      });
    } finally {
      proxy.server.closeAllConnections();
      await new Promise((resolve) => proxy.server.close(resolve));
    }
  });
});
