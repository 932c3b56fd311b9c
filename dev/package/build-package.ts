// Assembles the production application directory that the container image ships (Dockerfile)
// and the packaging test runs with plain `node`: Next.js standalone output, the custom web server
// and the worker bundled by esbuild, and the files the server reads at run time.
//
//   npx tsx dev/package/build-package.ts [--out dist/app] [--dist-dir .next]
//
// Result (run from that directory): `node web-server.mjs` (port $PORT, default 3000) and
// `node worker.mjs` (metrics/health on $WORKER_METRICS_PORT, default 9464).
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";

import { build, type Plugin } from "esbuild";

import { buildIfStale } from "../launch/build-if-stale";

const root = path.resolve(import.meta.dirname, "../..");

/** Read by the server at run time relative to its working directory. */
const RUNTIME_FILES = ["charts/kaito-dashboard/files/crds", "prisma/schema", "prisma/migrations", "public"];

/**
 * Kept out of the bundles because they load files next to their own code (WebAssembly, data
 * files) or are Next.js itself; they must be in the package's node_modules.
 */
const WORKER_EXTERNALS = ["@electric-sql/pglite", "@prisma/schema-engine-wasm"];

/**
 * Also loaded by Next's own chunks (serverExternalPackages in next.config.mjs): the web server's
 * bundle imports them from node_modules too, so the process holds one copy of each instead of
 * two — Prisma's query compiler alone is a 4.4 MB base64 string per copy.
 */
const SHARED_WITH_NEXT = ["@prisma/client", "@prisma/client/*", "@kubernetes/client-node", "pg"];

export type PackageOptions = { outDir: string; distDir: string; log?: (line: string) => void };

export async function buildPackage({ outDir, distDir, log = console.log }: PackageOptions): Promise<void> {
  const out = path.resolve(root, outDir);
  buildIfStale(distDir, log);

  log(`▸ Assembling ${path.relative(root, out) || out} …`);
  rmSync(out, { recursive: true, force: true });
  // Only the traced node_modules and the build: the trace also picks up the whole source tree
  // (the server reads files relative to its cwd), and server.js starts plain Next.js, not ours.
  const standalone = path.join(root, distDir, "standalone");
  for (const entry of ["node_modules", distDir, "package.json"]) {
    cpSync(path.join(standalone, entry), path.join(out, entry), { recursive: true, verbatimSymlinks: true });
  }
  cpSync(path.join(root, distDir, "static"), path.join(out, distDir, "static"), { recursive: true });
  for (const file of RUNTIME_FILES) {
    if (existsSync(path.join(root, file))) cpSync(path.join(root, file), path.join(out, file), { recursive: true });
  }

  await bundleWebServer(out, distDir, log);
  await bundleWorker(out, log);
  copyMissingPackages(out, [...WORKER_EXTERNALS, ...SHARED_WITH_NEXT.filter((name) => !name.endsWith("/*"))], log);
  log(`  package ready: ${path.relative(root, out)} (${Math.round(directorySize(out) / 1024 / 1024)} MB)`);
}

/** `server-only` throws unless the react-server condition is set; bundled code has passed that check. */
const serverOnlyIsEmpty: Plugin = {
  name: "server-only-is-empty",
  setup(b) {
    b.onResolve({ filter: /^server-only$/ }, () => ({ path: "server-only", namespace: "empty" }));
    b.onLoad({ filter: /.*/, namespace: "empty" }, () => ({ contents: "", loader: "js" }));
  },
};

// CommonJS dependencies inside an ES module bundle still call require() for Node built-ins.
const requireShim = `import { createRequire as __kdCreateRequire } from "node:module";
const require = __kdCreateRequire(import.meta.url);`;

async function bundleWebServer(out: string, distDir: string, log: (line: string) => void): Promise<void> {
  log("▸ Bundling the web server (server/web-server.ts) …");
  // Next.js and React stay in node_modules as the standalone trace left them (a second copy
  // inside the bundle would not share their module state); the rest is bundled, because the
  // trace holds only the files Next's own chunks load, not every package's ESM entry.
  await build({
    entryPoints: [path.join(root, "server/web-server.ts")],
    outfile: path.join(out, "web-server-main.mjs"),
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    external: [
      "next",
      "next/*",
      "react",
      "react/*",
      "react-dom",
      "react-dom/*",
      ...WORKER_EXTERNALS,
      ...SHARED_WITH_NEXT,
    ],
    plugins: [serverOnlyIsEmpty],
    banner: { js: requireShim },
    legalComments: "none",
    // V8 keeps every module's source text in the heap for the life of the process, as a two-byte
    // string as soon as one character is not Latin-1 (an em dash in a comment does it): the 8 MB
    // unminified bundle held 16 MiB of the web process. Names stay unminified for readable traces.
    minifyWhitespace: true,
    minifySyntax: true,
    charset: "ascii",
    tsconfig: path.join(root, "tsconfig.json"),
    logLevel: "warning",
  });
  const config = JSON.parse(readFileSync(path.join(out, distDir, "required-server-files.json"), "utf8")) as {
    config: unknown;
  };
  // What the standalone server.js does before it loads Next: the build's own configuration
  // (next.config.mjs is not part of the output), production mode, and the package as cwd.
  writeFileSync(
    path.join(out, "web-server.mjs"),
    `import { fileURLToPath } from "node:url";
process.chdir(fileURLToPath(new URL(".", import.meta.url)));
process.env.NODE_ENV ??= "production";
process.env.NEXT_TELEMETRY_DISABLED ??= "1";
process.env.__NEXT_PRIVATE_STANDALONE_CONFIG = ${JSON.stringify(JSON.stringify(config.config))};
await import("./web-server-main.mjs");
`,
  );
}

async function bundleWorker(out: string, log: (line: string) => void): Promise<void> {
  const entry = path.join(root, "server/worker.ts");
  if (!existsSync(entry)) {
    log("  server/worker.ts does not exist yet: no worker bundle");
    return;
  }
  log("▸ Bundling the worker (server/worker.ts) into one file …");
  await build({
    entryPoints: [entry],
    outfile: path.join(out, "worker.mjs"),
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    conditions: ["react-server"],
    external: WORKER_EXTERNALS,
    plugins: [serverOnlyIsEmpty],
    banner: { js: `${requireShim}\nprocess.env.NODE_ENV ??= "production";` },
    tsconfig: path.join(root, "tsconfig.json"),
    legalComments: "none",
    logLevel: "warning",
  });
}

/** Copies a package and its dependencies into the output's node_modules unless already there. */
function copyMissingPackages(out: string, names: string[], log: (line: string) => void): void {
  const seen = new Set<string>();
  const queue = [...names];
  while (queue.length) {
    const name = queue.shift()!;
    if (seen.has(name)) continue;
    seen.add(name);
    const source = path.join(root, "node_modules", name);
    if (!existsSync(source)) continue;
    const target = path.join(out, "node_modules", name);
    if (!existsSync(path.join(target, "package.json"))) {
      mkdirSync(path.dirname(target), { recursive: true });
      cpSync(source, target, { recursive: true, dereference: true });
      log(`  + node_modules/${name}`);
    }
    const manifest = JSON.parse(readFileSync(path.join(source, "package.json"), "utf8")) as {
      dependencies?: Record<string, string>;
    };
    queue.push(...Object.keys(manifest.dependencies ?? {}));
  }
}

function directorySize(dir: string): number {
  const result = spawnSync("du", ["-sb", dir], { encoding: "utf8" });
  return Number(result.stdout.split("\t")[0]) || statSync(dir).size;
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  const { values } = parseArgs({
    options: { out: { type: "string", default: "dist/app" }, "dist-dir": { type: "string", default: ".next" } },
  });
  await buildPackage({ outDir: values.out!, distDir: values["dist-dir"]! });
}
