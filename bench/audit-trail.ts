// Audit trail on PostgreSQL with 1,000,000 events: filtered page latency, streamed export rate and
// server memory, single-event insert rate — each next to a raw `pg` baseline measured in the same
// run. Uses DATABASE_URL's server (a scratch database is created on it) or starts a throwaway one.
// Run: node --conditions=react-server --import tsx bench/audit-trail.ts   (EVENTS=… to change size)
import { randomBytes } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import os from "node:os";

import pg from "pg";

import { auditFilterSchema } from "../server/audit/audit-filter";
import { exportAuditEvents } from "../server/audit/export-audit-events";
import { listAuditEvents } from "../server/audit/list-audit-events";
import { recordAuditEvent } from "../server/audit/record-audit-event";
import { closeDb, getDb } from "../server/db/client";
import { startTestPostgres } from "../tests/support/postgres";

const EVENTS = Number(process.env.EVENTS ?? 1_000_000);
const EXPORT_ROWS = 100_000;
const PAGE_RUNS = 300;
const INSERTS = 3000;

const percentile = (values: number[], p: number) =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((p / 100) * values.length))];
const ms = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;

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
  // 50 actors, 12 actions, 20 namespaces, ~5 % denied and ~3 % failed, spread over 90 days.
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
  await raw.query('ANALYZE "AuditEvent"');
  const loadSeconds = ms(loadStart) / 1000;

  const filters: Array<Record<string, string>> = [
    {},
    { actor: "user7@example.com" },
    { action: "workspace.create" },
    { action: "workspace.*" },
    { outcome: "denied" },
    { namespace: "team-3", outcome: "failed" },
    { actor: "user12@example.com", action: "adapter.upload" },
    { target: "ws-4242" },
    {
      from: new Date(Date.now() - 7 * 86_400_000).toISOString(),
      to: new Date(Date.now() - 6 * 86_400_000).toISOString(),
    },
    { q: "event 99999 " },
  ];
  const pageTimes: number[] = [];
  const baselineTimes: number[] = [];
  const perFilter = new Map<string, number[]>();
  for (let run = 0; run < PAGE_RUNS; run++) {
    const f = filters[run % filters.length];
    const parsed = auditFilterSchema.parse({ ...f, limit: 50 });
    let start = process.hrtime.bigint();
    const page = await listAuditEvents(parsed);
    const t = ms(start);
    pageTimes.push(t);
    const key = JSON.stringify(f);
    perFilter.set(key, [...(perFilter.get(key) ?? []), t]);
    if (page.nextCursor && run % 3 === 0) await listAuditEvents({ ...parsed, cursor: page.nextCursor });
    start = process.hrtime.bigint();
    await raw.query(
      'SELECT * FROM "AuditEvent" WHERE ($1::text IS NULL OR "actorEmail" = $1) ORDER BY id DESC LIMIT 51',
      [f.actor ?? null],
    );
    baselineTimes.push(ms(start));
  }

  // Export: a filter matching EXPORT_ROWS rows (ids are 1..EVENTS, newest first from the cursor).
  const cursor = String(EXPORT_ROWS + 1);
  const rssBefore = process.memoryUsage().rss;
  let rssPeak = rssBefore;
  const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage().rss)), 20);
  let start = process.hrtime.bigint();
  let bytes = 0;
  let rows = 0;
  const reader = exportAuditEvents(auditFilterSchema.parse({ cursor }), "csv").getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.byteLength;
    for (const b of value) if (b === 10) rows++;
  }
  const exportSeconds = ms(start) / 1000;
  clearInterval(sampler);
  rows -= 1; // header
  start = process.hrtime.bigint();
  const baselineRows =
    (await raw.query('SELECT * FROM "AuditEvent" WHERE id <= $1 ORDER BY id DESC', [EXPORT_ROWS])).rowCount ?? 0;
  const baselineExportSeconds = ms(start) / 1000;

  start = process.hrtime.bigint();
  for (let i = 0; i < INSERTS; i++) {
    await recordAuditEvent({
      action: "bench.insert",
      outcome: "succeeded",
      summary: `insert ${i}`,
      actor: { email: "bench@example.com" },
      target: { kind: "Workspace", namespace: "bench", name: `ws-${i}` },
      context: { requestId: `r${i}`, ip: "127.0.0.1", userAgent: "bench" },
    });
  }
  const insertRate = INSERTS / (ms(start) / 1000);
  start = process.hrtime.bigint();
  for (let i = 0; i < INSERTS; i++) {
    await raw.query('INSERT INTO "AuditEvent" ("action","outcome","summary","actorEmail") VALUES ($1,$2,$3,$4)', [
      "bench.raw",
      "succeeded",
      `insert ${i}`,
      "bench@example.com",
    ]);
  }
  const rawInsertRate = INSERTS / (ms(start) / 1000);
  start = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: 8 }, (_, w) =>
      (async () => {
        for (let i = 0; i < INSERTS / 8; i++)
          await recordAuditEvent({
            action: "bench.concurrent",
            outcome: "succeeded",
            summary: `w${w} ${i}`,
            actor: null,
          });
      })(),
    ),
  );
  const concurrentRate = INSERTS / (ms(start) / 1000);

  const cpu = os.cpus();
  const version = (await raw.query("SHOW server_version")).rows[0].server_version as string;
  const p50 = percentile(pageTimes, 50);
  const p95 = percentile(pageTimes, 95);
  const rowsPerSecond = rows / exportSeconds;
  const structured = [...perFilter.entries()].filter(([k]) => !k.includes('"q"')).flatMap(([, v]) => v);
  const freeText = [...perFilter.entries()].filter(([k]) => k.includes('"q"')).flatMap(([, v]) => v);
  const lines = [
    `## Audit trail: ${EVENTS.toLocaleString("en")} events on PostgreSQL (${new Date().toISOString()})`,
    "",
    `Machine: ${cpu.length} × ${cpu[0]?.model.trim()}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, PostgreSQL ${version}` +
      ` (${server ? "throwaway server started by the bench, fsync off" : "DATABASE_URL"}); other work was running on the machine.` +
      ` Load of ${EVENTS.toLocaleString("en")} events with generate_series: ${loadSeconds.toFixed(1)} s.` +
      " Command: `node --conditions=react-server --import tsx bench/audit-trail.ts`.",
    "",
    "| measure | kaito-dashboard (Prisma) | baseline: raw `pg`, same run | target |",
    "|---|---|---|---|",
    `| filtered page of 50 (actor, action, outcome, namespace, target, time range), p50 / p95 | ${percentile(structured, 50).toFixed(1)} / ${percentile(structured, 95).toFixed(1)} ms | ${percentile(baselineTimes, 50).toFixed(1)} / ${percentile(baselineTimes, 95).toFixed(1)} ms (same page by actor, hand-written SQL) | p95 < 20 ms |`,
    `| free-text search page of 50 (ILIKE over summary/target/actor/action), p50 / p95 | ${percentile(freeText, 50).toFixed(1)} / ${percentile(freeText, 95).toFixed(1)} ms | – | – |`,
    `| all ${PAGE_RUNS} page requests, p50 / p95 | ${p50.toFixed(1)} / ${p95.toFixed(1)} ms | – | – |`,
    `| CSV export of ${rows.toLocaleString("en")} rows (${(bytes / 2 ** 20).toFixed(1)} MiB) | ${Math.round(rowsPerSecond).toLocaleString("en")} rows/s | ${Math.round(baselineRows / baselineExportSeconds).toLocaleString("en")} rows/s (one query, all rows in memory) | ≥ 50,000 rows/s |`,
    `| export memory: RSS before → peak | ${(rssBefore / 2 ** 20).toFixed(0)} → ${(rssPeak / 2 ** 20).toFixed(0)} MiB | – | flat |`,
    `| insert one event (recordAuditEvent), sequential | ${Math.round(insertRate).toLocaleString("en")} events/s | ${Math.round(rawInsertRate).toLocaleString("en")} events/s | ≥ 2,000 events/s |`,
    `| insert, 8 concurrent writers | ${Math.round(concurrentRate).toLocaleString("en")} events/s | – | – |`,
    "",
    "Slowest filters (p95, ms): " +
      [...perFilter.entries()]
        .map(([k, v]) => [k, percentile(v, 95)] as const)
        .sort((a, b) => b[1] - a[1])
        .slice(0, 3)
        .map(([k, v]) => `\`${k}\` ${v.toFixed(1)}`)
        .join(", "),
    "",
  ];
  const section = lines.join("\n");
  console.log(section);
  const file = "docs/benchmarks.md";
  const current = readFileSync(file, "utf8");
  const pattern = /## Audit trail:[\s\S]*?(?=\n## |$)/;
  writeFileSync(
    file,
    pattern.test(current) ? current.replace(pattern, section.trimEnd() + "\n") : `${current.trimEnd()}\n\n${section}`,
  );
} finally {
  await raw.end();
  await closeDb();
  await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  await admin.end();
  await server?.stop();
}
