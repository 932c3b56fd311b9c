// docs/benchmarks.md reads current-first: one "## …" section per benchmark (its heading names the
// npm script, e.g. `npm run bench:controller`), then that benchmark's latest run ("### Latest: …"),
// then "### Earlier runs", newest first. Each benchmark records its run through here, so a new run
// never lands between another benchmark's runs.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

const DOCS = path.resolve(import.meta.dirname, "../docs/benchmarks.md");
const EARLIER = "### Earlier runs";

/** Adds `by` levels to every Markdown heading in `text` (at most six #). */
function demote(text: string, by: number): string {
  return text.replace(/^(#{2,6}) /gm, (_, hashes: string) => `${"#".repeat(Math.min(6, hashes.length + by))} `);
}

/**
 * Records `run` (Markdown whose first line is `## <title>`, its own subsections `###`) as the
 * latest run of the benchmark whose section heading mentions `npm run bench:<script>`; the run it
 * replaces moves to the top of the earlier runs. A missing section is added at the end.
 */
export function recordRun(script: string, sectionTitle: string, run: string, file = DOCS): void {
  const [first, ...rest] = run.trim().split("\n");
  const title = first.replace(/^#+ /, "");
  const latest = `### Latest: ${title}\n${demote(rest.join("\n"), 1)}\n`;
  const doc = existsSync(file)
    ? readFileSync(file, "utf8")
    : "# Benchmarks\n\nFigures measured by the scripts in `bench/`; each section names its machine and date.\n";

  const marker = `npm run bench:${script}`;
  const start = doc.search(new RegExp(`^## .*${marker.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`, "m"));
  if (start === -1) {
    writeFileSync(file, `${doc.trimEnd()}\n\n## ${sectionTitle} (\`${marker}\`)\n\n${latest}`);
    return;
  }
  const next = doc.indexOf("\n## ", start + 1);
  const end = next === -1 ? doc.length : next + 1;
  const section = doc.slice(start, end);
  const latestAt = section.indexOf("\n### Latest: ");
  const earlierAt = section.indexOf(`\n${EARLIER}`);
  const intro = section.slice(0, latestAt === -1 ? (earlierAt === -1 ? section.length : earlierAt) : latestAt);
  const previous =
    latestAt === -1 ? "" : section.slice(latestAt + 1, earlierAt === -1 ? section.length : earlierAt).trimEnd();
  const earlier = earlierAt === -1 ? "" : section.slice(earlierAt + 1 + EARLIER.length).trim();
  const demotedPrevious = previous ? demote(previous.replace(/^### Latest: /, "### "), 1) : "";
  const history = [demotedPrevious, earlier].filter(Boolean).join("\n\n");
  const rebuilt = `${intro.trimEnd()}\n\n${latest}${history ? `\n${EARLIER}\n\n${history}\n` : ""}`;
  writeFileSync(file, `${doc.slice(0, start)}${rebuilt}${next === -1 ? "" : `\n${doc.slice(end)}`}`);
}
