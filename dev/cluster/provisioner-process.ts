// Starts and stops the GPU provisioner double (dev/provisioner) as a detached process that
// outlives `cluster:up`, with its pid and log under .data/cluster/.
import { spawn } from "node:child_process";
import { openSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";

import { kubeconfigPath, provisionerLogFile, provisionerPidFile, repoRoot } from "./paths";
import { commandLineOf, isAlive, readPid, stopPid } from "./processes";

const ENTRY = "dev/provisioner/main.ts";

export function provisionerPid(): number | undefined {
  const pid = readPid(provisionerPidFile);
  return pid !== undefined && isAlive(pid) && commandLineOf(pid)?.includes(ENTRY) ? pid : undefined;
}

export function startProvisioner(): number {
  const log = openSync(provisionerLogFile, "a");
  const child = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", ENTRY], {
    cwd: repoRoot,
    detached: true,
    stdio: ["ignore", log, log],
    env: { ...process.env, KUBECONFIG: kubeconfigPath },
  });
  child.unref();
  if (!child.pid) throw new Error(`could not start the GPU provisioner double (${path.join(repoRoot, ENTRY)})`);
  writeFileSync(provisionerPidFile, `${child.pid}\n`);
  return child.pid;
}

export async function stopProvisioner(): Promise<void> {
  const pid = provisionerPid();
  if (pid !== undefined) await stopPid(pid);
  rmSync(provisionerPidFile, { force: true });
}
