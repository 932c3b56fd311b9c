// Audit trail on PostgreSQL with 1,000,000 events: filtered page latency for every filter the
// audit page offers (alone and in the combinations people use, including ones that match
// nothing), each with the plan PostgreSQL chose (EXPLAIN ANALYZE of the exact SQL the app sent);
// streamed export rate and memory; single-event insert rate. Each next to a baseline measured
// in the same run. Uses DATABASE_URL's server (a scratch database is created on it) or starts a
// throwaway one (dev/bench.mjs installs PostgreSQL for it first). Run: npm run bench:audit
// (EVENTS=… to change the size).
import { randomBytes } from "node:crypto";
import os from "node:os";

import pg from "pg";

import type { AuditAction } from "../server/audit/audit-event";
import { auditFilterSchema } from "../server/audit/audit-filter";
import { exportAuditEvents } from "../server/audit/export-audit-events";
import { listAuditEvents } from "../server/audit/list-audit-events";
import { auditEventValues, recordAuditEvent } from "../server/audit/record-audit-event";
import { closeDb, getDb } from "../server/db/client";
import { startTestPostgres } from "../tests/support/postgres";

import { recordRun } from "./record-result";

const EVENTS = Number(process.env.EVENTS ?? 1_000_000);
const EXPORT_ROWS = 100_000;
const RUNS_PER_FILTER = 20;
const INSERTS = 3000;
const DAY = 86_400_000;

const percentile = (values: number[], p: number) =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((p / 100) * values.length))] ?? NaN;
const ms = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;
const load = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(" ");
const iso = (msAgo: number) => new Date(Date.now() - msAgo).toISOString();

// The SQL the app sends for a page is captured at the driver, so EXPLAIN sees exactly that
// statement with its parameters — not a hand-written look-alike.
let capture: { text: string; values: unknown[] } | null | undefined;
const clientQuery = pg.Client.prototype.query;
pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
  const config = args[0] as { text?: string; values?: unknown[] } | undefined;
  if (capture === null && config?.text?.includes('FROM "public"."AuditEvent"'))
    capture = { text: config.text, values: config.values ?? [] };
  return (clientQuery as (...a: unknown[]) => unknown).apply(this, args);
} as typeof pg.Client.prototype.query;

type PlanNode = {
  "Node Type": string;
  "Index Name"?: string;
  "Scan Direction"?: string;
  "Rows Removed by Filter"?: number;
  "Rows Removed by Index Recheck"?: number;
  Plans?: PlanNode[];
};
/** A plan as one line: "Sort ← Bitmap Heap Scan ← BitmapOr(summary_trgm, …)", index names shortened. */
function describePlan(node: PlanNode): string {
  const children = (node.Plans ?? []).map(describePlan);
  const index = node["Index Name"]?.replace(/^AuditEvent_/, "").replace(/_idx$/, "");
  if (node["Node Type"] === "Limit") return children.join(", ");
  if (node["Node Type"].startsWith("Bitmap") && node["Node Type"].endsWith("Index Scan")) return index!;
  if (node["Node Type"] === "BitmapAnd" || node["Node Type"] === "BitmapOr")
    return `${node["Node Type"]}(${children.join(", ")})`;
  const own = `${node["Node Type"]}${node["Scan Direction"] === "Backward" ? " backward" : ""}${index ? ` on ${index}` : ""}`;
  return children.length ? `${own} ← ${children.join(", ")}` : own;
}
const rowsDiscarded = (node: PlanNode): number =>
  (node["Rows Removed by Filter"] ?? 0) +
  (node["Rows Removed by Index Recheck"] ?? 0) +
  (node.Plans ?? []).reduce((n, c) => n + rowsDiscarded(c), 0);

const server = process.env.DATABASE_URL ? null : await startTestPostgres();
const serverUrl = process.env.DATABASE_URL ?? server!.url;
const dbName = `kd_bench_${randomBytes(4).toString("hex")}`;
const admin = new pg.Client({ connectionString: serverUrl });
await admin.connect();
await admin.query(`CREATE DATABASE ${dbName}`);
const url = new URL(serverUrl);
url.pathname = `/${dbName}`;
process.env.DATABASE_URL = url.toString();
await getDb(); // creates the schema through the app's own migrations
const raw = new pg.Pool({ connectionString: url.toString(), max: 4 });

try {
  console.log(`loading ${EVENTS.toLocaleString()} events …`);
  const loadStart = process.hrtime.bigint();
  // 50 actors, 12 actions, 20 namespaces, 5,000 targets, ~5 % denied and ~3 % failed, over 90 days.
  await raw.query(
    `INSERT INTO "AuditEvent" ("occurredAt","actorEmail","action","targetKind","targetNamespace","targetName","outcome","summary","requestId","ip")
     SELECT now() - interval '90 days' + (i * interval '90 days' / $1::int),
            'user' || (i % 50) || '@example.com',
            (ARRAY['workspace.create','workspace.delete','workspace.update','adapter.upload','adapter.attach','adapter.detach','auth.login','auth.logout','user.update','token.create','token.revoke','inference.use'])[1 + i % 12],
            'Workspace', 'team-' || (i % 20), 'ws-' || (i % 5000),
            (CASE WHEN i % 20 = 0 THEN 'denied' WHEN i % 33 = 0 THEN 'failed' ELSE 'succeeded' END)::"AuditOutcome",
            'event ' || i || ' changed replicas', md5(i::text), '10.0.' || (i % 250) || '.' || (i % 200)
     FROM generate_series(1, $1::int) AS i`,
    [EVENTS],
  );
  await raw.query('VACUUM ANALYZE "AuditEvent"');
  const loadSeconds = ms(loadStart) / 1000;

  const week = { from: iso(7 * DAY), to: iso(6 * DAY) };
  const filters: Array<{ label: string; query: Record<string, string> }> = [
    { label: "none (newest first)", query: {} },
    { label: "actor", query: { actor: "user7@example.com" } },
    { label: "action", query: { action: "workspace.create" } },
    { label: "action prefix", query: { action: "workspace.*" } },
    { label: "target", query: { target: "ws-4242" } },
    { label: "namespace", query: { namespace: "team-3" } },
    { label: "outcome", query: { outcome: "denied" } },
    { label: "time range: one day, a week ago", query: week },
    { label: "time: before 30 days ago", query: { to: iso(30 * DAY) } },
    { label: "actor + action", query: { actor: "user12@example.com", action: "auth.login" } },
    { label: "actor + action, no match", query: { actor: "user12@example.com", action: "adapter.upload" } },
    { label: "actor + outcome", query: { actor: "user7@example.com", outcome: "failed" } },
    { label: "actor + time range", query: { actor: "user7@example.com", ...week } },
    { label: "namespace + target", query: { namespace: "team-2", target: "ws-4242" } },
    { label: "namespace + outcome", query: { namespace: "team-3", outcome: "failed" } },
    { label: "action prefix + outcome", query: { action: "adapter.*", outcome: "denied" } },
    {
      label: "actor + action prefix + namespace + outcome + time range, no match",
      query: { actor: "user3@example.com", action: "workspace.*", namespace: "team-3", outcome: "succeeded", ...week },
    },
    { label: "text: a few rows", query: { q: "event 99999 " } },
    { label: "text: an actor's email", query: { q: "user12" } },
    { label: "text: in every row", query: { q: "replicas" } },
    { label: "text: no match", query: { q: "no-such-text" } },
    { label: "text + actor", query: { actor: "user7@example.com", q: "ws-42" } },
  ];

  // One untimed pass first: the figures are for a running server, not its first request.
  for (const { query } of filters) await listAuditEvents(auditFilterSchema.parse({ ...query, limit: 50 }));
  const pageLoad = load();
  const results: Array<{
    label: string;
    query: Record<string, string>;
    first: number[];
    next: number[];
    rows: number;
    plan: string;
  }> = [];
  const baselineTimes: number[] = [];
  for (const { label, query } of filters) {
    const parsed = auditFilterSchema.parse({ ...query, limit: 50 });
    const first: number[] = [];
    const next: number[] = [];
    let rows = 0;
    capture = null;
    for (let run = 0; run < RUNS_PER_FILTER; run++) {
      let start = process.hrtime.bigint();
      const page = await listAuditEvents(parsed);
      first.push(ms(start));
      rows = page.events.length;
      if (page.nextCursor) {
        start = process.hrtime.bigint();
        await listAuditEvents({ ...parsed, cursor: page.nextCursor });
        next.push(ms(start));
      }
      start = process.hrtime.bigint();
      await raw.query(
        'SELECT * FROM "AuditEvent" WHERE ($1::text IS NULL OR "actorEmail" = $1) ORDER BY id DESC LIMIT 51',
        [query.actor ?? null],
      );
      baselineTimes.push(ms(start));
    }
    const sql = capture as { text: string; values: unknown[] } | null;
    capture = undefined;
    if (!sql) throw new Error(`no AuditEvent query seen for ${label}`);
    const explained = await raw.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${sql.text}`, sql.values);
    const root = explained.rows[0]["QUERY PLAN"][0].Plan as PlanNode;
    const removed = rowsDiscarded(root);
    const plan = `${describePlan(root)}${removed ? `; ${removed.toLocaleString("en")} rows read and discarded` : ""}`;
    results.push({ label, query, first, next, rows, plan });
    console.log(`${label}: max ${Math.max(...first).toFixed(1)} ms, ${rows} rows, ${plan}`);
  }
  const structured = results.filter((r) => !r.query.q).flatMap((r) => r.first);
  const freeText = results.filter((r) => r.query.q).flatMap((r) => r.first);
  const nextPages = results.flatMap((r) => r.next);

  // Export: a filter matching EXPORT_ROWS rows (ids are 1..EVENTS, newest first from the cursor).
  // Run twice: the first export in a process also pays for compiling the export path.
  const exportLoad = load();
  const exportOnce = async () => {
    const rssBefore = process.memoryUsage().rss;
    let rssPeak = rssBefore;
    const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage().rss)), 20);
    const start = process.hrtime.bigint();
    let bytes = 0;
    let rows = -1; // the header line
    const reader = exportAuditEvents(auditFilterSchema.parse({ cursor: String(EXPORT_ROWS + 1) }), "csv").getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      bytes += value.byteLength;
      for (const b of value) if (b === 10) rows++;
    }
    const seconds = ms(start) / 1000;
    clearInterval(sampler);
    return { rows, bytes, rowsPerSecond: rows / seconds, rssBefore, rssPeak };
  };
  const coldExport = await exportOnce();
  const { rows, bytes, rowsPerSecond, rssBefore, rssPeak } = await exportOnce();
  let start = process.hrtime.bigint();
  const baselineRows =
    (await raw.query('SELECT * FROM "AuditEvent" WHERE id <= $1 ORDER BY id DESC', [EXPORT_ROWS])).rowCount ?? 0;
  const baselineExportSeconds = ms(start) / 1000;

  const insertLoad = load();
  // Synthetic actions, so the benchmark rows never mix with a real action in a filter.
  const event = (i: number, action: string) => ({
    action: action as AuditAction,
    outcome: "succeeded" as const,
    summary: `insert ${i}`,
    actor: { email: "bench@example.com" },
    target: { kind: "Workspace", namespace: "bench", name: `ws-${i}` },
    context: { requestId: `r${i}`, ip: "127.0.0.1", userAgent: "bench" },
  });
  start = process.hrtime.bigint();
  for (let i = 0; i < INSERTS; i++) await recordAuditEvent(event(i, "bench.insert"));
  const insertRate = INSERTS / (ms(start) / 1000);

  // The same row through Prisma's query engine, as recordAuditEvent wrote it before.
  const db = await getDb();
  start = process.hrtime.bigint();
  for (let i = 0; i < INSERTS; i++) {
    const v = auditEventValues(event(i, "bench.prisma"));
    await db.auditEvent.create({
      data: {
        actorEmail: v[2] as string,
        action: v[4] as string,
        targetKind: v[5] as string,
        targetNamespace: v[6] as string,
        targetName: v[7] as string,
        outcome: "succeeded",
        summary: v[9] as string,
        requestId: v[11] as string,
        ip: v[12] as string,
        userAgent: v[13] as string,
      },
      select: { id: true },
    });
  }
  const prismaInsertRate = INSERTS / (ms(start) / 1000);

  start = process.hrtime.bigint();
  for (let i = 0; i < INSERTS; i++) {
    const e = event(i, "bench.raw");
    await raw.query(
      'INSERT INTO "AuditEvent" ("actorEmail","action","targetKind","targetNamespace","targetName","outcome","summary","requestId","ip","userAgent") VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10) RETURNING id',
      [
        e.actor.email,
        e.action,
        e.target.kind,
        e.target.namespace,
        e.target.name,
        e.outcome,
        e.summary,
        e.context.requestId,
        e.context.ip,
        e.context.userAgent,
      ],
    );
  }
  const rawInsertRate = INSERTS / (ms(start) / 1000);

  start = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: 8 }, (_, w) =>
      (async () => {
        for (let i = 0; i < INSERTS / 8; i++) await recordAuditEvent(event(w * INSERTS + i, "bench.concurrent"));
      })(),
    ),
  );
  const concurrentRate = INSERTS / (ms(start) / 1000);
  const endLoad = load();

  const cpu = os.cpus();
  const version = (await raw.query("SHOW server_version")).rows[0].server_version as string;
  const f1 = (v: number) => v.toFixed(1);
  const rate = (v: number) => Math.round(v).toLocaleString("en");
  const lines = [
    `## Audit trail: ${EVENTS.toLocaleString("en")} events on PostgreSQL (${new Date().toISOString()})`,
    "",
    `Machine: ${cpu.length} × ${cpu[0]?.model.trim()}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, PostgreSQL ${version}` +
      ` (${server ? "throwaway server started by the bench, fsync off" : "DATABASE_URL"}); other engineers' work was running on the same 2 cores.` +
      ` Load average (1/5/15 min) during pages ${pageLoad}, export ${exportLoad}, inserts ${insertLoad}, at the end ${endLoad}.` +
      ` Load of ${EVENTS.toLocaleString("en")} events with generate_series: ${loadSeconds.toFixed(1)} s.` +
      " Command: `node --conditions=react-server --import tsx bench/audit-trail.ts`.",
    "",
    "| measure | kaito-dashboard | baseline, same run | target |",
    "|---|---|---|---|",
    `| filtered page of 50, every structured filter and combination below, p50 / p95 | ${f1(percentile(structured, 50))} / ${f1(percentile(structured, 95))} ms | ${f1(percentile(baselineTimes, 50))} / ${f1(percentile(baselineTimes, 95))} ms (raw \`pg\`, page by actor, hand-written SQL) | p95 < 20 ms |`,
    `| free-text search page of 50 (ILIKE over summary/target/actor/action), p50 / p95 | ${f1(percentile(freeText, 50))} / ${f1(percentile(freeText, 95))} ms | – | – |`,
    `| next page (keyset cursor) of the same filters, p50 / p95 | ${f1(percentile(nextPages, 50))} / ${f1(percentile(nextPages, 95))} ms | – | – |`,
    `| CSV export of ${rows.toLocaleString("en")} rows (${(bytes / 2 ** 20).toFixed(1)} MiB), second run in the process | ${rate(rowsPerSecond)} rows/s (first run: ${rate(coldExport.rowsPerSecond)} rows/s) | ${rate(baselineRows / baselineExportSeconds)} rows/s (raw \`pg\`, one query, all rows in memory) | ≥ 50,000 rows/s |`,
    `| export memory: RSS before → peak, first / second run | ${(coldExport.rssBefore / 2 ** 20).toFixed(0)} → ${(coldExport.rssPeak / 2 ** 20).toFixed(0)} / ${(rssBefore / 2 ** 20).toFixed(0)} → ${(rssPeak / 2 ** 20).toFixed(0)} MiB | – | flat |`,
    `| insert one event (recordAuditEvent), sequential | ${rate(insertRate)} events/s | ${rate(rawInsertRate)} events/s (raw \`pg\`); ${rate(prismaInsertRate)} events/s (Prisma \`auditEvent.create\`, the previous path) | ≥ 2,000 events/s |`,
    `| insert, 8 concurrent writers (recordAuditEvent) | ${rate(concurrentRate)} events/s | – | – |`,
    "",
    `Every filter, ${RUNS_PER_FILTER} runs each; the plan is PostgreSQL's EXPLAIN ANALYZE of the first page's SQL as the app sent it.`,
    "",
    "| filter | rows on page | first page p50 / max | next page max | plan |",
    "|---|---|---|---|---|",
    ...results.map(
      (r) =>
        `| ${r.label} | ${r.rows} | ${f1(percentile(r.first, 50))} / ${f1(Math.max(...r.first))} ms | ${r.next.length ? `${f1(Math.max(...r.next))} ms` : "–"} | ${r.plan} |`,
    ),
    "",
  ];
  const section = lines.join("\n");
  console.log(section);
  recordRun("audit", "Audit trail", section);
} finally {
  await raw.end();
  await closeDb();
  await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  await admin.end();
  await server?.stop();
}
