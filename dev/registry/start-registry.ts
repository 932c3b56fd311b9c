import { spawn, type ChildProcess } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import bcrypt from "bcryptjs";
import { stringify } from "yaml";

import { freePort } from "../lib/ports";

/** Debian's `docker-registry` package: the CNCF distribution registry (v2.8). */
export const REGISTRY_BINARY = process.env.REGISTRY_BINARY ?? "/usr/bin/docker-registry";

export type StartRegistryOptions = {
  /** 0 picks a free port. */
  port?: number;
  /** Where blobs live; a fresh temp folder when omitted (removed again by stop()). */
  storageDir?: string;
  /** When set, the registry demands HTTP basic auth with this one user. */
  basicAuth?: { username: string; password: string };
  /** When set, the registry demands Bearer tokens issued by this token service (see token-server.ts). */
  tokenAuth?: { realm: string; service: string; issuer: string; rootCertBundle: string };
  /** Print the registry's own log lines (noisy: one per request). */
  verbose?: boolean;
};

export type RunningRegistry = {
  url: string;
  port: number;
  storageDir: string;
  pid: number;
  stop(): Promise<void>;
};

export async function startRegistry(options: StartRegistryOptions = {}): Promise<RunningRegistry> {
  const port = options.port || (await freePort());
  const workDir = await mkdtemp(path.join(os.tmpdir(), "kd-registry-"));
  const storageDir = options.storageDir ?? path.join(workDir, "storage");
  await mkdir(storageDir, { recursive: true });

  const config: Record<string, unknown> = {
    version: 0.1,
    log: { level: options.verbose ? "info" : "error", accesslog: { disabled: !options.verbose } },
    storage: {
      filesystem: { rootdirectory: storageDir },
      delete: { enabled: true },
      cache: { blobdescriptor: "inmemory" },
    },
    // The debug server defaults to :5001 in some builds; keep it off so parallel registries never collide.
    http: {
      addr: `127.0.0.1:${port}`,
      secret: "kd-local-registry",
      headers: { "X-Content-Type-Options": ["nosniff"] },
    },
  };
  if (options.basicAuth) {
    const htpasswd = path.join(workDir, "htpasswd");
    // distribution only accepts bcrypt entries in htpasswd files.
    const hash = bcrypt.hashSync(options.basicAuth.password, 10);
    await writeFile(htpasswd, `${options.basicAuth.username}:${hash}\n`, { mode: 0o600 });
    config.auth = { htpasswd: { realm: "kaito-dashboard-registry", path: htpasswd } };
  }
  if (options.tokenAuth) {
    const { realm, service, issuer, rootCertBundle } = options.tokenAuth;
    config.auth = { token: { realm, service, issuer, rootcertbundle: rootCertBundle } };
  }
  const configPath = path.join(workDir, "config.yml");
  await writeFile(configPath, stringify(config));

  // distribution reads every REGISTRY_* variable as a config override (REGISTRY_STORAGE_DIR would
  // become `storage.dir`), so our own REGISTRY_PORT & co. must not reach it.
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !key.startsWith("REGISTRY_")),
  ) as NodeJS.ProcessEnv;
  const child = spawn(REGISTRY_BINARY, ["serve", configPath], {
    env,
    stdio: ["ignore", options.verbose ? "inherit" : "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
    if (options.verbose) process.stderr.write(chunk);
  });

  const url = `http://127.0.0.1:${port}`;
  const cleanup = async () => {
    await stopChild(child);
    await rm(workDir, { recursive: true, force: true });
  };
  try {
    await waitForRegistry(url, child, () => stderr);
  } catch (error) {
    await cleanup();
    throw error;
  }
  return { url, port, storageDir, pid: child.pid!, stop: cleanup };
}

async function waitForRegistry(url: string, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`docker-registry exited with ${child.exitCode}: ${log()}`);
    try {
      const response = await fetch(`${url}/v2/`);
      // 401 also proves it is serving: it is the answer of a registry with auth on.
      if (response.ok || response.status === 401) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`docker-registry did not answer on ${url}/v2/ within 15 s: ${log()}`);
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
  await exited;
  clearTimeout(timer);
}
