// Sign-in hardening (#13 item 6) on PGlite and on a real PostgreSQL server.
import http from "node:http";
import type { AddressInfo } from "node:net";

import { encode } from "next-auth/jwt";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

import { requestContextFromHeaders } from "@/server/audit/request-context";
import { stampClientIp } from "@/server/auth/client-ip";
import { authConfig, resetAuthConfig } from "@/server/auth/config";
import { resetLoginRateLimiter, verifyLocalLogin } from "@/server/auth/verify-local-login";
import { getDb } from "@/server/db/client";
import { generateApiToken } from "@/server/tokens/api-token";

import { seedUsers, type SeededUser } from "../support/seed-users";
import { databaseKinds, useTestDatabase } from "../support/test-database";

// Server actions read the caller from next/headers; outside a Next request the test supplies them.
const requestHeaders = vi.hoisted(() => ({ current: new Headers() }));
vi.mock("next/headers", () => ({
  headers: async () => requestHeaders.current,
  cookies: async () => ({ get: () => undefined }),
}));

/** A session cookie as next-auth issues it at sign-in (server/auth/auth.ts's jwt callback). */
async function sessionCookie(user: { id: string; email: string }, sessionVersion: number): Promise<string> {
  const value = await encode({
    token: { uid: user.id, email: user.email, sv: sessionVersion },
    secret: authConfig().secret,
    salt: "authjs.session-token",
  });
  return `authjs.session-token=${value}`;
}

/** GET /api/audit/events, a defineRoute route, as a client with these headers would. */
async function callApi(headers: Record<string, string>): Promise<{ status: number; message?: string }> {
  const { GET } = await import("@/app/api/audit/events/route");
  const response = await GET(new Request("http://test.local/api/audit/events?limit=1", { headers }), {
    params: Promise.resolve({}),
  });
  const body = (await response.json()) as { error?: { message: string } };
  return { status: response.status, message: body.error?.message };
}

/** A socket-level sign-in endpoint wired like server/web-server.ts: the client IP is stamped first. */
async function startLoginServer(hops: number): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    stampClientIp(req, hops);
    let body = "";
    req.on("data", (chunk) => (body += String(chunk)));
    req.on("end", () => {
      const context = requestContextFromHeaders({ get: (name) => (req.headers[name] as string | undefined) ?? null });
      void verifyLocalLogin(JSON.parse(body), context).then((outcome) => {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify({ ...outcome, ip: context.ip }));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe.each(databaseKinds())("sign-in hardening on %s", (kind) => {
  let drop: () => Promise<void>;
  let users: Record<"viewer" | "operator" | "admin", SeededUser>;

  beforeAll(async () => {
    process.env.LOGIN_MAX_FAILURES = "3";
    process.env.LOGIN_RATE_LIMIT_PER_MINUTE = "1000";
    resetAuthConfig();
    resetLoginRateLimiter();
    ({ drop } = await useTestDatabase(kind));
    users = await seedUsers(`hard-${kind}`);
  });
  afterAll(async () => {
    delete process.env.LOGIN_MAX_FAILURES;
    delete process.env.LOGIN_RATE_LIMIT_PER_MINUTE;
    resetAuthConfig();
    resetLoginRateLimiter();
    await drop();
  });

  it("keeps counting one client against the limiter whatever X-Forwarded-For it sends", async () => {
    process.env.LOGIN_RATE_LIMIT_PER_MINUTE = "3";
    resetAuthConfig();
    resetLoginRateLimiter();
    for (const hops of [0, 1]) {
      resetLoginRateLimiter();
      const server = await startLoginServer(hops);
      const replies: Array<{ reason?: string; ip: string }> = [];
      try {
        for (let i = 0; i < 5; i++) {
          // With one trusted hop the "proxy" (this test) appends the peer it saw, 198.51.100.9,
          // after the addresses the client made up.
          const forwarded = hops === 0 ? `203.0.113.${i}` : `203.0.113.${i}, 198.51.100.9`;
          const response = await fetch(`${server.url}/login`, {
            method: "POST",
            headers: { "x-forwarded-for": forwarded, "x-kd-client-ip": `192.0.2.${i}` },
            body: JSON.stringify({ email: "nobody@example.test", password: "guess" }),
          });
          replies.push(await response.json());
        }
      } finally {
        await server.close();
      }
      expect(new Set(replies.map((r) => r.ip))).toEqual(new Set([hops === 0 ? "127.0.0.1" : "198.51.100.9"]));
      expect(replies.map((r) => r.reason)).toEqual(["invalid", "invalid", "invalid", "rate_limited", "rate_limited"]);
    }
    const events = await (await getDb()).auditEvent.findMany({ where: { action: "auth.login", ip: "127.0.0.1" } });
    expect(events.length).toBeGreaterThan(0);
    process.env.LOGIN_RATE_LIMIT_PER_MINUTE = "1000";
    resetAuthConfig();
    resetLoginRateLimiter();
  });

  it("locks an account under concurrent wrong guesses and refuses the right password before bcrypt", async () => {
    const { email, password, id } = users.operator;
    const context = { requestId: "req-concurrent", ip: "10.1.0.1", userAgent: "vitest" };
    const outcomes = await Promise.all(
      Array.from({ length: 8 }, () => verifyLocalLogin({ email, password: "wrong-guess" }, context)),
    );
    expect(outcomes.filter((o) => !o.ok && o.reason === "locked").length).toBeGreaterThanOrEqual(6);
    const user = await (await getDb()).user.findUniqueOrThrow({ where: { id } });
    expect(user.lockedUntil!.getTime()).toBeGreaterThan(Date.now());
    expect(await verifyLocalLogin({ email, password }, context)).toEqual({ ok: false, reason: "locked" });
    const events = await (
      await getDb()
    ).auditEvent.findMany({ where: { action: "auth.login", actorUserId: id }, orderBy: { id: "asc" } });
    expect(events.filter((e) => /locked for \d+ minutes/.test(e.summary))).toHaveLength(1);
    expect(events.at(-1)).toMatchObject({ outcome: "denied", summary: expect.stringMatching(/locked account/) });
  });

  it("ends old cookies and tokens on a password change, and the new sign-in works", async () => {
    const { id, email, password, token } = users.viewer;
    const db = await getDb();
    const before = await db.user.findUniqueOrThrow({ where: { id } });
    const oldCookie = await sessionCookie({ id, email }, before.sessionVersion);
    expect((await callApi({ cookie: oldCookie })).status).toBe(200);
    expect((await callApi({ authorization: `Bearer ${token}` })).status).toBe(200);

    const actions = await import("@/app/settings/actions");
    requestHeaders.current = new Headers({ cookie: oldCookie });
    const changed = await actions.changePasswordAction({
      currentPassword: password,
      newPassword: "a brand new long password",
    });
    expect(changed).toEqual({ ok: true, data: undefined });

    expect(await callApi({ cookie: oldCookie })).toMatchObject({ status: 401 });
    expect(await callApi({ authorization: `Bearer ${token}` })).toMatchObject({
      status: 401,
      message: expect.stringMatching(/API token kd_\S+… was revoked/),
    });
    const login = await verifyLocalLogin(
      { email, password: "a brand new long password" },
      { requestId: "r", ip: "10.2.0.1", userAgent: null },
    );
    expect(login.ok && login.user.sessionVersion).toBe(before.sessionVersion + 1);
    expect((await callApi({ cookie: await sessionCookie({ id, email }, before.sessionVersion + 1) })).status).toBe(200);
    const event = await db.auditEvent.findFirst({ where: { action: "user.change-password" }, orderBy: { id: "desc" } });
    expect(event?.summary).toMatch(/ended all sessions and revoked 1 API token/);
  });

  it("ends sessions on a role change, on disable and on sign out everywhere", async () => {
    const db = await getDb();
    const actions = await import("@/app/settings/actions");
    const admin = await db.user.findUniqueOrThrow({ where: { id: users.admin.id } });
    const adminCookie = await sessionCookie(admin, admin.sessionVersion);
    const { id, email } = users.operator;
    const versionOf = async () => (await db.user.findUniqueOrThrow({ where: { id } })).sessionVersion;

    let cookie = await sessionCookie({ id, email }, await versionOf());
    requestHeaders.current = new Headers({ cookie: adminCookie });
    expect((await actions.updateUserAction({ userId: id, role: "viewer" })).ok).toBe(true);
    expect((await callApi({ cookie })).status).toBe(401);

    cookie = await sessionCookie({ id, email }, await versionOf());
    expect((await actions.updateUserAction({ userId: id, name: "renamed" })).ok).toBe(true);
    expect((await callApi({ cookie })).status).toBe(200); // a new name ends nothing

    requestHeaders.current = new Headers({ cookie });
    expect((await actions.signOutEverywhereAction({})).ok).toBe(true);
    expect((await callApi({ cookie })).status).toBe(401);

    cookie = await sessionCookie({ id, email }, await versionOf());
    requestHeaders.current = new Headers({ cookie: adminCookie });
    expect((await actions.updateUserAction({ userId: id, disabled: true })).ok).toBe(true);
    await db.user.update({ where: { id }, data: { disabled: false } });
    expect((await callApi({ cookie })).status).toBe(401);
  });

  it("refuses an expired token and a token of the wrong scope, each with a clear error", async () => {
    const db = await getDb();
    const mint = async (data: { scope?: "inference" | "api"; expiresAt?: Date }) => {
      const minted = generateApiToken();
      await db.apiToken.create({
        data: { userId: users.admin.id, name: "t", prefix: minted.prefix, hash: minted.hash, ...data },
      });
      return minted.token;
    };
    const expired = await mint({ expiresAt: new Date(Date.now() - 60_000) });
    expect(await callApi({ authorization: `Bearer ${expired}` })).toEqual({
      status: 401,
      message: expect.stringMatching(/^API token kd_\S+… expired on \d{4}-\d\d-\d\dT.*; create a new one\.$/),
    });
    const inferenceOnly = await mint({ scope: "inference" });
    expect(await callApi({ authorization: `Bearer ${inferenceOnly}` })).toEqual({
      status: 403,
      message: expect.stringMatching(
        /has the scope "inference": it may only call the chat and the OpenAI-compatible API/,
      ),
    });
    const { authenticateHeaders } = await import("@/server/auth/authenticate-headers");
    expect(await authenticateHeaders({ authorization: `Bearer ${inferenceOnly}` }, "inference")).toMatchObject({
      userId: users.admin.id,
      tokenScope: "inference",
    });

    // The lifetime is required and bounded by the admin's policy.
    const actions = await import("@/app/settings/actions");
    const admin = await db.user.findUniqueOrThrow({ where: { id: users.admin.id } });
    requestHeaders.current = new Headers({ cookie: await sessionCookie(admin, admin.sessionVersion) });
    expect((await actions.updateTokenPolicyAction({ maxLifetimeDays: 30 })).ok).toBe(true);
    const tooLong = await actions.createApiTokenAction({ name: "long", expiresInDays: 31, scope: "api" });
    expect(tooLong.ok || tooLong.error.fieldErrors).toEqual({ expiresInDays: ["At most 30 days"] });
    const never = await actions.createApiTokenAction({ name: "never", expiresInDays: null, scope: "api" });
    expect(never.ok).toBe(false);
    const ok = await actions.createApiTokenAction({ name: "ok", expiresInDays: 30, scope: "inference" });
    expect(ok.ok).toBe(true);
  });
});
