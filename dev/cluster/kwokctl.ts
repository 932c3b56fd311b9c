// Runs kwokctl against the project's cluster and reads what it left on disk (pids, logs).
import { spawn } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import https from "node:https";
import path from "node:path";

import { KubeConfig } from "@kubernetes/client-node";

import { readPins } from "./build-binaries";
import { CLUSTER_NAME, kubeconfigPath, kwokClusterDir, kwokWorkdir } from "./paths";
import { commandLineOf, isAlive, readPid } from "./processes";

export type KwokctlResult = { code: number; output: string };

/** kwokctl with our workdir and Kubernetes version; ~/.kwok is never read or written. */
export function runKwokctl(kwokctl: string, args: string[], onLine?: (line: string) => void): Promise<KwokctlResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(kwokctl, ["--name", CLUSTER_NAME, ...args], {
      env: { ...process.env, KWOK_WORKDIR: kwokWorkdir, KWOK_KUBE_VERSION: readPins().kubernetes },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    const collect = (chunk: Buffer) => {
      const text = chunk.toString();
      output += text;
      for (const line of text.split("\n")) if (line.trim()) onLine?.(line);
    };
    child.stdout.on("data", collect);
    child.stderr.on("data", collect);
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? 1, output }));
  });
}

export type ComponentState = { name: string; pid?: number; running: boolean; logFile: string };

/** The control-plane components kwokctl started, from its pid files. */
export function listComponents(): ComponentState[] {
  const pidDir = path.join(kwokClusterDir, "pids");
  if (!existsSync(pidDir)) return [];
  return readdirSync(pidDir)
    .filter((f) => f.endsWith(".pid"))
    .sort()
    .map((f) => {
      const name = f.replace(/\.pid$/, "");
      const pid = readPid(path.join(pidDir, f));
      // Every component's arguments name a file in the cluster's folder; a live process without
      // it is a stranger that reused the pid (after a reboot, say).
      const running = pid !== undefined && isAlive(pid) && (commandLineOf(pid)?.includes(kwokClusterDir) ?? false);
      return { name, pid, running, logFile: path.join(kwokClusterDir, "logs", `${name}.log`) };
    });
}

export function clusterExists(): boolean {
  return existsSync(path.join(kwokClusterDir, "kwok.yaml"));
}

export function loadClusterKubeConfig(): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfigPath);
  return kc;
}

/** GET /readyz with the cluster's admin credentials; false on any failure. */
export async function apiserverReady(kc: KubeConfig = loadClusterKubeConfig(), timeoutMs = 3000): Promise<boolean> {
  const server = kc.getCurrentCluster()?.server;
  if (!server) return false;
  const options: https.RequestOptions = { timeout: timeoutMs };
  await kc.applyToHTTPSOptions(options);
  return new Promise((resolve) => {
    const req = https.get(new URL("/readyz", server), options, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on("timeout", () => req.destroy());
    req.on("error", () => resolve(false));
  });
}

export async function waitForApiserver(timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (existsSync(kubeconfigPath) && (await apiserverReady())) return true;
    await new Promise((r) => setTimeout(r, 250));
  }
  return false;
}
