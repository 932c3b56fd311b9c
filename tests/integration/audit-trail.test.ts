import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { AuditAction } from "@/server/audit/audit-event";
import { auditFilterSchema } from "@/server/audit/audit-filter";
import { exportAuditEvents } from "@/server/audit/export-audit-events";
import { listAuditEvents } from "@/server/audit/list-audit-events";
import { recordAuditEvent } from "@/server/audit/record-audit-event";
import { getDb } from "@/server/db/client";

import { databaseKinds, useTestDatabase } from "../support/test-database";

// Not an action the product records: the text search must work whatever the action is.
const QUOTA_CHECK = "quota.check" as AuditAction;

const filter = (input: Record<string, unknown>) => auditFilterSchema.parse(input);

async function readAll(stream: ReadableStream<Uint8Array>): Promise<string> {
  return new Response(stream).text();
}

describe.each(databaseKinds())("audit trail on %s", (kind) => {
  let drop: () => Promise<void>;

  beforeAll(async () => {
    ({ drop } = await useTestDatabase(kind));
    const db = await getDb();
    const rows = Array.from({ length: 120 }, (_, i) => ({
      action: i % 3 === 0 ? "workspace.create" : i % 3 === 1 ? "workspace.delete" : "adapter.upload",
      outcome: (i % 10 === 0 ? "denied" : i % 7 === 0 ? "failed" : "succeeded") as "denied" | "failed" | "succeeded",
      actorEmail: i % 2 === 0 ? "alice@example.test" : "bob@example.test",
      targetKind: "Workspace",
      targetNamespace: i % 4 === 0 ? "team-a" : "team-b",
      targetName: `ws-${i}`,
      summary: i === 42 ? '=HYPERLINK("http://evil") deployed <script>alert(1)</script>' : `event number ${i}`,
      diff: i === 5 ? { before: { replicas: 1 }, after: { replicas: 2 } } : undefined,
      occurredAt: new Date(Date.UTC(2026, 0, 1, 0, i)),
    }));
    await db.auditEvent.createMany({ data: rows });
  });
  afterAll(() => drop());

  it("filters by actor, action pattern, namespace, outcome and time range together", async () => {
    const page = await listAuditEvents(
      filter({
        actor: "ALICE@example.test",
        action: "workspace.*",
        namespace: "team-a",
        outcome: "succeeded",
        from: "2026-01-01T00:10:00Z",
        to: "2026-01-01T01:00:00Z",
      }),
    );
    expect(page.events.length).toBeGreaterThan(0);
    for (const e of page.events) {
      expect(e).toMatchObject({ actorEmail: "alice@example.test", targetNamespace: "team-a", outcome: "succeeded" });
      expect(e.action.startsWith("workspace.")).toBe(true);
      expect(e.occurredAt >= "2026-01-01T00:10:00" && e.occurredAt <= "2026-01-01T01:00:00.000Z").toBe(true);
    }
  });

  it("pages with a keyset cursor that stays stable while new events arrive", async () => {
    const first = await listAuditEvents(filter({ actor: "bob@example.test", limit: 20 }));
    expect(first.events).toHaveLength(20);
    await recordAuditEvent({
      action: "workspace.create",
      outcome: "succeeded",
      summary: "arrived meanwhile",
      actor: { email: "bob@example.test" },
    });
    const second = await listAuditEvents(filter({ actor: "bob@example.test", limit: 20, cursor: first.nextCursor }));
    const seen = new Set(first.events.map((e) => e.id));
    expect(second.events.some((e) => seen.has(e.id))).toBe(false);
    expect(BigInt(second.events[0].id)).toBeLessThan(BigInt(first.events.at(-1)!.id));
    expect(second.events.map((e) => e.summary)).not.toContain("arrived meanwhile");
  });

  it("orders by when events happened, and pages through a time range without skipping or repeating", async () => {
    const late = await recordAuditEvent({
      action: "workspace.delete",
      outcome: "succeeded",
      summary: "recorded late, happened early",
      actor: { email: "carol@example.test" },
      occurredAt: new Date(Date.UTC(2026, 0, 1, 0, 30, 30)),
    });
    const range = { from: "2026-01-01T00:20:00Z", to: "2026-01-01T00:40:00Z", limit: 7 };
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await listAuditEvents(filter({ ...range, cursor }));
      seen.push(...page.events.map((e) => e.occurredAt));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toHaveLength(21 + 1);
    expect(seen).toEqual([...seen].sort().reverse());
    const everything = await listAuditEvents(filter({ ...range, limit: 50 }));
    expect(everything.events.findIndex((e) => e.id === late.id.toString())).toBe(10);
    expect((await listAuditEvents(filter({ cursor: "999999999" }))).events).toEqual([]);
  });

  it("treats injection attempts in filters as plain text and refuses bad ranges and over-long values", async () => {
    const before = await (await getDb()).auditEvent.count();
    const injected = await listAuditEvents(filter({ q: '\'; DELETE FROM "AuditEvent"; --', target: "x' OR '1'='1" }));
    expect(injected.events).toEqual([]);
    expect(await (await getDb()).auditEvent.count()).toBe(before);
    expect((await listAuditEvents(filter({ q: "<script>" }))).events.map((e) => e.targetName)).toEqual(["ws-42"]);

    const inverted = auditFilterSchema.safeParse({ from: "2026-02-01T00:00:00Z", to: "2026-01-01T00:00:00Z" });
    expect(inverted.success).toBe(false);
    expect(inverted.error?.issues[0].message).toBe("The time range ends before it starts");
    expect(auditFilterSchema.safeParse({ from: "yesterday-ish" }).error?.issues[0].message).toMatch(/not a valid date/);
    expect(auditFilterSchema.safeParse({ q: "x".repeat(201) }).success).toBe(false);
    expect(auditFilterSchema.safeParse({ action: "workspace.create;drop" }).success).toBe(false);
    expect(auditFilterSchema.safeParse({ cursor: "1 OR 1=1" }).success).toBe(false);
  });

  it("exports the filtered set as CSV with formula-safe fields, and as NDJSON", async () => {
    const csv = await readAll(exportAuditEvents(filter({ namespace: "team-a" }), "csv"));
    const lines = csv.trimEnd().split("\r\n");
    expect(lines[0]).toBe(
      "id,occurredAt,actorEmail,actorUserId,actorTokenId,action,targetKind,targetNamespace,targetName,outcome,summary,diff,requestId,ip,userAgent",
    );
    expect(lines).toHaveLength(1 + 30);
    expect(lines.slice(1).every((l) => l.includes(",team-a,"))).toBe(true);

    const evilCsv = await readAll(exportAuditEvents(filter({ target: "ws-42" }), "csv"));
    expect(evilCsv).toContain(`"'=HYPERLINK(""http://evil"") deployed <script>alert(1)</script>"`);

    const ndjson = await readAll(exportAuditEvents(filter({ target: "ws-5" }), "ndjson"));
    const [row] = ndjson
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(row).toMatchObject({ targetName: "ws-5", diff: { before: { replicas: 1 }, after: { replicas: 2 } } });
  });

  it("exports exactly the rows and order the page shows, keyset included", async () => {
    const f = { actor: "alice@example.test", action: "workspace.*", from: "2026-01-01T00:05:00Z", limit: 500 };
    const page = await listAuditEvents(filter(f));
    const exported = (await readAll(exportAuditEvents(filter(f), "ndjson")))
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l) as { id: string; occurredAt: string });
    expect(page.events.length).toBeGreaterThan(10);
    expect(exported.map((e) => e.id)).toEqual(page.events.map((e) => e.id));
    expect(exported[0].occurredAt).toBe(page.events[0].occurredAt);

    const fromCursor = (await readAll(exportAuditEvents(filter({ ...f, cursor: page.events[4].id }), "ndjson")))
      .trimEnd()
      .split("\n")
      .map((l) => (JSON.parse(l) as { id: string }).id);
    expect(fromCursor).toEqual(page.events.slice(5).map((e) => e.id));
  });

  it("searches % and _ as literal text, in the page and in the export", async () => {
    await recordAuditEvent({
      action: QUOTA_CHECK,
      outcome: "succeeded",
      actor: null,
      summary: "GPU quota at 100% of limit",
    });
    await recordAuditEvent({
      action: QUOTA_CHECK,
      outcome: "succeeded",
      actor: null,
      summary: "GPU quota at 1000 of limit",
    });
    await recordAuditEvent({ action: QUOTA_CHECK, outcome: "succeeded", actor: null, summary: "name a_b taken" });
    const percent = await listAuditEvents(filter({ q: "100%" }));
    expect(percent.events.map((e) => e.summary)).toEqual(["GPU quota at 100% of limit"]);
    const underscore = await readAll(exportAuditEvents(filter({ q: "a_b" }), "ndjson"));
    expect(
      underscore
        .trimEnd()
        .split("\n")
        .map((l) => (JSON.parse(l) as { summary: string }).summary),
    ).toEqual(["name a_b taken"]);
    expect((await listAuditEvents(filter({ q: "%" }))).events.map((e) => e.summary)).toEqual([
      "GPU quota at 100% of limit",
    ]);
  });

  it("streams a large export in batches rather than one query", async () => {
    const db = await getDb();
    await db.auditEvent.createMany({
      data: Array.from({ length: 6000 }, (_, i) => ({
        action: "bulk.write",
        outcome: "succeeded" as const,
        summary: `bulk ${i}`,
      })),
    });
    const reader = exportAuditEvents(filter({ action: "bulk.write" }), "ndjson").getReader();
    const chunks: number[] = [];
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(new TextDecoder().decode(value).split("\n").filter(Boolean).length);
    }
    expect(chunks.reduce((a, b) => a + b, 0)).toBe(6000);
    expect(chunks.length).toBeGreaterThan(1);
  });
});
