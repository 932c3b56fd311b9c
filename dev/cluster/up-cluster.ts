// `npm run cluster:up`: builds the binaries if needed, starts (or reuses) the local cluster with
// kwokctl, installs the CRDs and the chart's tenancy roles and bindings, and starts the GPU
// provisioner double. Idempotent.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";

import { benchmarkLogFile } from "@/dev/model-server/benchmark-log";

import { ensureBinaries, type ResolvedBinaries } from "./build-binaries";
import { installCrds } from "./install-crds";
import { installTenancyRbac } from "./tenancy-rbac";
import {
  apiserverReady,
  clusterExists,
  listComponents,
  loadClusterKubeConfig,
  runKwokctl,
  waitForApiserver,
} from "./kwokctl";
import { auditPolicyPath, clusterDataDir, kubeconfigPath, kwokConfigPath, podLogFile } from "./paths";
import { tailFile } from "./processes";
import { provisionerPid, startProvisioner } from "./provisioner-process";
import { readStageTimings, renderKwokConfig } from "./render-kwok-config";

export class ClusterError extends Error {}

export type UpResult = { kubeconfig: string; reused: boolean; startedNow: boolean; seconds: number };

type Log = (line: string) => void;

export async function upCluster(log: Log = console.log): Promise<UpResult> {
  const started = Date.now();
  mkdirSync(clusterDataDir, { recursive: true });
  const bins = await ensureBinaries(log);
  writeFileSync(podLogFile, benchmarkLogFile());
  const config = renderKwokConfig(readStageTimings(), podLogFile);

  let reused = false;
  let startedNow = false;
  if (clusterExists()) {
    const components = listComponents();
    const healthy = components.length > 0 && components.every((c) => c.running) && (await apiserverReady());
    if (healthy) {
      reused = true;
      log("▸ The local cluster is already running: reusing it.");
      if (existsSync(kwokConfigPath) && readFileSync(kwokConfigPath, "utf8") !== config) {
        log("  Note: the KWOK_* delays differ from the running cluster's; npm run cluster:down first to apply them.");
      }
    } else {
      const down = components.filter((c) => !c.running).map((c) => c.name);
      log(
        `▸ Restarting the local cluster (${down.length ? `not running: ${down.join(", ")}` : "apiserver not ready"}) …`,
      );
      await runKwokctl(bins.kwokctl, ["stop", "cluster"]);
      const result = await runKwokctl(bins.kwokctl, ["start", "cluster", "--wait", "2m"]);
      await ensureStarted(result.code, result.output, bins);
      startedNow = true;
    }
  } else {
    await createCluster(bins, config, log);
    startedNow = true;
  }

  const kc = loadClusterKubeConfig();
  await installCrds(kc, log);
  await installTenancyRbac(kc, log);
  const running = provisionerPid();
  if (running === undefined) log(`  GPU provisioner double started (pid ${startProvisioner()})`);

  const seconds = Math.round((Date.now() - started) / 100) / 10;
  if (!reused) log(`▸ Local cluster ready in ${seconds} s.`);
  return { kubeconfig: kubeconfigPath, reused, startedNow, seconds };
}

async function createCluster(bins: ResolvedBinaries, config: string, log: Log): Promise<void> {
  const args = [
    "--config",
    kwokConfigPath,
    "create",
    "cluster",
    "--runtime",
    "binary",
    "--etcd-binary",
    bins.etcd,
    "--kube-apiserver-binary",
    bins["kube-apiserver"],
    "--kube-controller-manager-binary",
    bins["kube-controller-manager"],
    "--kube-scheduler-binary",
    bins["kube-scheduler"],
    "--kwok-controller-binary",
    bins.kwok,
    // Client rate limits (kube-controller-manager's 20 QPS, the apiserver's inflight caps) only
    // slow a single-user cluster down when a benchmark creates hundreds of objects.
    "--disable-qps-limits",
    "--kube-audit-policy",
    auditPolicyPath,
    "--kubeconfig",
    kubeconfigPath,
    "--wait",
    "2m",
  ];
  const port = process.env.CLUSTER_APISERVER_PORT;
  if (port) {
    if (!/^\d+$/.test(port)) throw new ClusterError(`CLUSTER_APISERVER_PORT must be a port number, got "${port}"`);
    if (!(await portIsFree(Number(port)))) {
      throw new ClusterError(
        `Port ${port} (CLUSTER_APISERVER_PORT) is already in use on 127.0.0.1, so the local cluster was not started. ` +
          "Stop whatever listens there, choose another port, or unset CLUSTER_APISERVER_PORT to let cluster:up pick a free one.",
      );
    }
    args.push("--kube-apiserver-port", port);
  }
  writeFileSync(kwokConfigPath, config);
  rmSync(kubeconfigPath, { force: true });
  log("▸ Starting the local cluster (etcd, kube-apiserver, kube-controller-manager, kube-scheduler, kwok) …");
  const result = await runKwokctl(bins.kwokctl, args);
  await ensureStarted(result.code, result.output, bins);
}

/** A cluster that did not come up is removed again: never leave a half-started one behind. */
async function ensureStarted(code: number, output: string, bins: ResolvedBinaries): Promise<void> {
  if (code === 0 && (await waitForApiserver(60_000))) return;
  const crashed = listComponents().filter((c) => !c.running);
  const details = crashed.map((c) => `--- ${c.name} (${c.logFile}):\n${tailFile(c.logFile)}`).join("\n");
  await runKwokctl(bins.kwokctl, ["delete", "cluster"]);
  rmSync(kubeconfigPath, { force: true });
  throw new ClusterError(
    `The local cluster did not start, and what had started was stopped again.\n` +
      `kwokctl said:\n${output.trim().split("\n").slice(-10).join("\n")}\n${details}`,
  );
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(false));
    server.listen({ port, host: "127.0.0.1", exclusive: true }, () => server.close(() => resolve(true)));
  });
}
