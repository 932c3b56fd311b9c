import { encode } from "next-auth/jwt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { authenticateHeaders } from "@/server/auth/authenticate-headers";
import { authConfig, resetAuthConfig } from "@/server/auth/config";
import { resetLoginRateLimiter, verifyLocalLogin } from "@/server/auth/verify-local-login";
import { getDb } from "@/server/db/client";
import { ensureInitialAdmin } from "@/server/users/ensure-initial-admin";

import { seedUsers, type SeededUser } from "../support/seed-users";
import { databaseKinds, useTestDatabase } from "../support/test-database";

const context = (ip: string) => ({ requestId: "req-1", ip, userAgent: "vitest" });

describe.each(databaseKinds())("sign-in on %s", (kind) => {
  let drop: () => Promise<void>;
  let users: Record<"viewer" | "operator" | "admin", SeededUser>;

  beforeAll(async () => {
    process.env.LOGIN_MAX_FAILURES = "3";
    process.env.LOGIN_RATE_LIMIT_PER_MINUTE = "1000";
    resetAuthConfig();
    resetLoginRateLimiter();
    ({ drop } = await useTestDatabase(kind));
  });
  afterAll(() => drop());

  it("creates the first admin once, printing a random password, and never again", async () => {
    const lines: string[] = [];
    const first = await ensureInitialAdmin((line) => lines.push(line));
    expect(first.created).toBe(true);
    expect(lines).toHaveLength(1);
    const password = /admin@localhost \/ (\S+)/.exec(lines[0])?.[1];
    expect(password?.length).toBeGreaterThanOrEqual(16);
    expect((await verifyLocalLogin({ email: "admin@localhost", password }, context("10.0.0.1"))).ok).toBe(true);
    expect((await ensureInitialAdmin((line) => lines.push(line))).created).toBe(false);
    expect(lines).toHaveLength(1);
    users = await seedUsers(kind);
  });

  it("audits a good login, a wrong password and an unknown account", async () => {
    const db = await getDb();
    expect(
      (await verifyLocalLogin({ email: users.viewer.email, password: users.viewer.password }, context("10.0.0.2"))).ok,
    ).toBe(true);
    expect(
      await verifyLocalLogin({ email: users.viewer.email, password: "hunter2-guess" }, context("10.0.0.2")),
    ).toEqual({ ok: false, reason: "invalid" });
    expect(await verifyLocalLogin({ email: "nobody@example.test", password: "x" }, context("10.0.0.2"))).toEqual({
      ok: false,
      reason: "invalid",
    });
    const events = await db.auditEvent.findMany({
      where: { action: "auth.login", ip: "10.0.0.2" },
      orderBy: { id: "asc" },
    });
    expect(events.map((e) => [e.outcome, e.actorEmail])).toEqual([
      ["succeeded", users.viewer.email],
      ["failed", users.viewer.email],
      ["failed", "nobody@example.test"],
    ]);
    expect(events[1].summary).toMatch(/Wrong password/);
    // The guessed password must never land in the audit trail.
    expect(events.map((e) => `${e.summary} ${JSON.stringify(e.diff)}`).join(" ")).not.toContain("hunter2");
  });

  it("locks an account after consecutive failures, refuses even the right password, and audits both", async () => {
    const db = await getDb();
    const { email, password } = users.operator;
    for (let i = 0; i < 2; i++)
      expect((await verifyLocalLogin({ email, password: "nope" }, context("10.0.0.3"))).ok).toBe(false);
    expect(await verifyLocalLogin({ email, password: "nope" }, context("10.0.0.3"))).toEqual({
      ok: false,
      reason: "locked",
    });
    expect(await verifyLocalLogin({ email, password }, context("10.0.0.3"))).toEqual({ ok: false, reason: "locked" });
    const events = await db.auditEvent.findMany({
      where: { action: "auth.login", ip: "10.0.0.3" },
      orderBy: { id: "asc" },
    });
    expect(events.at(-2)?.summary).toMatch(/locked for \d+ minutes/);
    expect(events.at(-1)).toMatchObject({ outcome: "denied" });
    expect((await db.user.findUnique({ where: { email } }))?.lockedUntil?.getTime()).toBeGreaterThan(Date.now());
  });

  it("rate-limits bursts from one address and rejects malformed input without touching users", async () => {
    process.env.LOGIN_RATE_LIMIT_PER_MINUTE = "2";
    resetAuthConfig();
    resetLoginRateLimiter();
    const results = [];
    for (let i = 0; i < 3; i++)
      results.push(await verifyLocalLogin({ email: "a@b.test", password: "x" }, context("10.0.0.4")));
    expect(results.at(-1)).toEqual({ ok: false, reason: "rate_limited" });
    expect(await verifyLocalLogin({ email: '\'; DROP TABLE "User"; --', password: "x" }, context("10.0.0.5"))).toEqual({
      ok: false,
      reason: "malformed",
    });
    expect(await (await getDb()).user.count()).toBe(4);
    process.env.LOGIN_RATE_LIMIT_PER_MINUTE = "1000";
    resetAuthConfig();
    resetLoginRateLimiter();
  });

  it("authenticates a next-auth session cookie and API tokens with the user's current role", async () => {
    const secret = authConfig().secret;
    const cookieValue = await encode({
      token: { uid: users.admin.id, email: users.admin.email },
      secret,
      salt: "authjs.session-token",
    });
    expect(await authenticateHeaders({ cookie: `other=1; authjs.session-token=${cookieValue}` })).toMatchObject({
      userId: users.admin.id,
      role: "admin",
    });
    expect(await authenticateHeaders({ cookie: `authjs.session-token=${cookieValue}x` })).toBeNull();
    const forged = await encode({
      token: { uid: users.admin.id },
      secret: "another-secret-another-secret-0000",
      salt: "authjs.session-token",
    });
    expect(await authenticateHeaders({ cookie: `authjs.session-token=${forged}` })).toBeNull();

    expect(await authenticateHeaders({ authorization: `Bearer ${users.viewer.token}` })).toMatchObject({
      email: users.viewer.email,
      role: "viewer",
      tokenId: expect.any(String),
    });
    expect(
      await authenticateHeaders({
        authorization: "Bearer kd_not-a-real-token",
        cookie: `authjs.session-token=${cookieValue}`,
      }),
    ).toBeNull();

    const db = await getDb();
    await db.user.update({ where: { id: users.viewer.id }, data: { role: "operator" } });
    expect(await authenticateHeaders({ authorization: `Bearer ${users.viewer.token}` })).toMatchObject({
      role: "operator",
    });
    await db.user.update({ where: { id: users.viewer.id }, data: { disabled: true } });
    expect(await authenticateHeaders({ authorization: `Bearer ${users.viewer.token}` })).toBeNull();
    await db.user.update({ where: { id: users.viewer.id }, data: { disabled: false, role: "viewer" } });
    await db.apiToken.updateMany({
      where: { userId: users.viewer.id },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    // #13 item 6: an expired token is told so rather than treated as unknown.
    await expect(authenticateHeaders({ authorization: `Bearer ${users.viewer.token}` })).rejects.toThrow(
      /API token kd_\S+… expired on \d{4}-/,
    );
  });
});
