// The authorization matrix: every route handler and server action in the tree, found from the
// files themselves, must be built with defineRoute/defineAction and declare the access listed
// here. A new route or action that is not in EXPECTED fails this test until someone decides,
// in review, who may call it. Then the routes and actions are called as anonymous, viewer,
// operator and admin to check that the declaration is what actually happens.
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

import { ACCESS_META, type AccessMeta } from "@/server/actions/audit-details";
import { getDb } from "@/server/db/client";

import { seedUsers, type SeededUser } from "../support/seed-users";
import { useTestDatabase } from "../support/test-database";

const ROOT = path.resolve(__dirname, "../..");
const METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];
const MUTATING = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/** "<METHOD> <file>" or "action <file>#<export>" → the access it must declare. */
const EXPECTED: Record<string, string> = {
  "GET app/api/auth/[...nextauth]/route.ts": "public",
  "POST app/api/auth/[...nextauth]/route.ts": "public",
  "GET app/api/healthz/route.ts": "public",
  "GET app/api/audit/events/route.ts": "read",
  "GET app/api/audit/export/route.ts": "read",
  "GET app/api/cluster/health/route.ts": "read",
  "GET app/api/adapters/route.ts": "read",
  "POST app/api/adapters/route.ts": "adapter:write",
  "GET app/api/adapters/[name]/route.ts": "read",
  "DELETE app/api/adapters/[name]/route.ts": "adapter:write",
  "POST app/api/adapters/[name]/attachments/route.ts": "adapter:write",
  "DELETE app/api/adapters/[name]/attachments/route.ts": "adapter:write",
  "GET app/api/workspaces/[namespace]/[name]/route.ts": "read",
  "GET app/api/workspaces/nodes/route.ts": "read",
  "GET app/api/workspaces/stream/route.ts": "read",
  "GET app/api/workspaces/validate/route.ts": "read",
  "action app/adapters/actions.ts#attachAdapterAction": "adapter:write",
  "action app/adapters/actions.ts#detachAdapterAction": "adapter:write",
  "action app/adapters/actions.ts#deleteAdapterAction": "adapter:write",
  "action app/workspaces/[namespace]/[name]/actions.ts#deleteWorkspaceAction": "workspace:write",
  "action app/workspaces/[namespace]/[name]/actions.ts#updateAdaptersAction": "workspace:write",
  "action app/workspaces/new/actions.ts#createWorkspaceAction": "workspace:write",
  "action app/settings/actions.ts#createUserAction": "admin",
  "action app/settings/actions.ts#updateUserAction": "admin",
  "action app/settings/actions.ts#changePasswordAction": "read",
  "action app/settings/actions.ts#createApiTokenAction": "read",
  "action app/settings/actions.ts#revokeApiTokenAction": "read",
  "action app/settings/actions.ts#updateInferenceSettingsAction": "admin",
};

function walk(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    if (name === "node_modules" || name.startsWith(".")) continue;
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) walk(full, out);
    else if (/\.(ts|tsx)$/.test(name)) out.push(full);
  }
  return out;
}

const rel = (file: string) => path.relative(ROOT, file).split(path.sep).join("/");
const sourceFiles = ["app", "components", "server"].flatMap((d) => walk(path.join(ROOT, d)));
const routeFiles = sourceFiles.filter((f) => f.startsWith(path.join(ROOT, "app")) && path.basename(f) === "route.ts");
const actionFiles = sourceFiles.filter((f) => /^\s*(\/\/[^\n]*\n\s*)*["']use server["']/.test(readFileSync(f, "utf8")));

type Entry = { key: string; file: string; exportName: string; kind: "route" | "action"; method?: string };

function entries(): Entry[] {
  const found: Entry[] = [];
  for (const file of routeFiles) {
    const source = readFileSync(file, "utf8");
    for (const method of METHODS) {
      if (
        new RegExp(`export\\s+(const|let|var|async\\s+function|function)\\s+${method}\\b`).test(source) ||
        new RegExp(`export\\s*\\{[^}]*\\b${method}\\b`).test(source)
      ) {
        found.push({ key: `${method} ${rel(file)}`, file, exportName: method, kind: "route", method });
      }
    }
  }
  for (const file of actionFiles) {
    const source = readFileSync(file, "utf8");
    for (const match of source.matchAll(/export\s+(?:const|let|var|async\s+function|function)\s+(\w+)/g)) {
      found.push({ key: `action ${rel(file)}#${match[1]}`, file, exportName: match[1], kind: "action" });
    }
    if (/export\s*\{/.test(source) || /export\s+default/.test(source)) {
      found.push({ key: `action ${rel(file)}#<re-export>`, file, exportName: "<re-export>", kind: "action" });
    }
  }
  return found;
}

describe("authorization matrix: declarations", () => {
  const all = entries();

  it("finds the routes and actions in the tree", () => {
    expect(routeFiles.length).toBeGreaterThan(3);
    expect(all.some((e) => e.kind === "action")).toBe(true);
  });

  it("has every route and action in the matrix, and no stale matrix entries", () => {
    const keys = all.map((e) => e.key).sort();
    const missing = keys.filter((k) => !(k in EXPECTED));
    expect(
      missing,
      "add these to EXPECTED in tests/integration/authz-matrix.test.ts with the access they need",
    ).toEqual([]);
    const stale = Object.keys(EXPECTED).filter((k) => !keys.includes(k));
    expect(stale, "these are in EXPECTED but no longer in the tree").toEqual([]);
  });

  it.each(all.map((e) => [e.key, e] as const))(
    "%s is built with the builder and declares its access",
    async (_key, entry) => {
      const source = readFileSync(entry.file, "utf8");
      const builder = entry.kind === "route" ? "defineRoute" : "defineAction";
      expect(source, `${entry.key} must be \`export const ${entry.exportName} = ${builder}(…)\``).toMatch(
        new RegExp(`export\\s+const\\s+${entry.exportName.replace(/[<>-]/g, "\\$&")}\\s*=\\s*${builder}\\b`),
      );
      const mod = (await import(entry.file)) as Record<string, unknown>;
      const meta = (mod[entry.exportName] as { [ACCESS_META]?: AccessMeta } | undefined)?.[ACCESS_META];
      expect(meta?.kind).toBe(entry.kind);
      expect(meta?.access).toBe(EXPECTED[entry.key]);
      if (entry.kind === "route" && MUTATING.has(entry.method!) && meta?.access !== "public") {
        expect(meta?.action, `${entry.key} mutates, so it must name its audit action`).toMatch(/^[a-z]+(\.[a-z-]+)+$/);
      }
    },
  );
});

// Server actions read the caller from next/headers; outside a Next request the test supplies them.
const requestHeaders = vi.hoisted(() => ({ current: new Headers() }));
vi.mock("next/headers", () => ({
  headers: async () => requestHeaders.current,
  cookies: async () => ({ get: () => undefined }),
}));

type Caller = "anonymous" | "viewer" | "operator" | "admin";
const CALLERS: Caller[] = ["anonymous", "viewer", "operator", "admin"];

describe("authorization matrix: behaviour", () => {
  let drop: () => Promise<void>;
  let users: Record<"viewer" | "operator" | "admin", SeededUser>;
  const auth = (caller: Caller): Record<string, string> =>
    caller === "anonymous" ? {} : { authorization: `Bearer ${users[caller].token}` };

  beforeAll(async () => {
    ({ drop } = await useTestDatabase("pglite"));
    users = await seedUsers("authz");
  });
  afterAll(() => drop());

  const allowed = (access: string, caller: Caller) =>
    access === "public" ||
    (caller !== "anonymous" &&
      ({ read: 0, "inference:use": 0, "workspace:write": 1, "adapter:write": 1, admin: 2 } as Record<string, number>)[
        access
      ] <= ["viewer", "operator", "admin"].indexOf(caller));

  it.each(
    entries()
      .filter((e) => e.kind === "route" && EXPECTED[e.key] !== "public")
      .map((e) => [e.key, e] as const),
  )("%s refuses callers without the permission before doing anything", async (_key, entry) => {
    const mod = (await import(entry.file)) as Record<string, (req: Request, ctx: unknown) => Promise<Response>>;
    for (const caller of CALLERS) {
      if (allowed(EXPECTED[entry.key], caller)) continue;
      const response = await mod[entry.exportName](
        new Request("http://test.local/x", { method: entry.method, headers: auth(caller) }),
        { params: Promise.resolve({ namespace: "default", name: "x" }) },
      );
      expect(response.status, `${caller} → ${entry.key}`).toBe(caller === "anonymous" ? 401 : 403);
    }
  });

  it("lets every role read the audit log and export it, and nobody anonymous", async () => {
    const events = await import("@/app/api/audit/events/route");
    const exported = await import("@/app/api/audit/export/route");
    const ctx = { params: Promise.resolve({}) };
    for (const caller of CALLERS) {
      const list = await events.GET(
        new Request("http://test.local/api/audit/events?limit=5", { headers: auth(caller) }),
        ctx,
      );
      const csv = await exported.GET(
        new Request("http://test.local/api/audit/export?format=csv", { headers: auth(caller) }),
        ctx,
      );
      expect([caller, list.status, csv.status]).toEqual([
        caller,
        caller === "anonymous" ? 401 : 200,
        caller === "anonymous" ? 401 : 200,
      ]);
      if (caller !== "anonymous") expect(csv.headers.get("content-type")).toMatch(/text\/csv/);
      await csv.body?.cancel();
    }
    const bad = await events.GET(
      new Request("http://test.local/api/audit/events?from=2026-02-01&to=2026-01-01", { headers: auth("viewer") }),
      ctx,
    );
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toMatch(
      /time range ends before it starts/,
    );
  });

  it("runs the settings actions only for the roles that may, auditing each refusal", async () => {
    const actions = await import("@/app/settings/actions");
    const db = await getDb();
    for (const caller of CALLERS) {
      requestHeaders.current = new Headers(auth(caller));
      const result = await actions.createUserAction({
        email: `new-by-${caller}@example.test`,
        role: "viewer",
        password: "a-long-enough-password",
      });
      const expected = caller === "admin" ? true : false;
      expect([caller, result.ok]).toEqual([caller, expected]);
      if (!result.ok) expect(result.error.code).toBe(caller === "anonymous" ? "unauthenticated" : "forbidden");
      const event = await db.auditEvent.findFirst({ where: { action: "user.create" }, orderBy: { id: "desc" } });
      expect(event?.outcome).toBe(caller === "admin" ? "succeeded" : "denied");
    }
    expect(await db.user.count({ where: { email: { startsWith: "new-by-" } } })).toBe(1);

    requestHeaders.current = new Headers(auth("viewer"));
    const token = await actions.createApiTokenAction({ name: "ci", expiresInDays: 7 });
    expect(token.ok).toBe(false); // a token cannot mint tokens
    const invalid = await actions.createUserAction({ email: "not-an-email", role: "root", password: "x" });
    expect(invalid.ok).toBe(false);
  });
});
