import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream, mkdirSync, readFileSync } from "node:fs";
import path from "node:path";

export const root = path.resolve(import.meta.dirname, "../..");
export const logDir = path.join(root, ".data/logs");

export type ManagedProcess = {
  name: string;
  child: ChildProcess;
  logFile: string;
};

const tsNode = [process.execPath, "--conditions=react-server", "--import", "tsx"];

/** Starts a TypeScript entry point with the server-only condition, its output in .data/logs/<name>.log. */
export function startTs(
  name: string,
  entry: string,
  env: NodeJS.ProcessEnv,
  options: { echo?: boolean } = {},
): ManagedProcess {
  mkdirSync(logDir, { recursive: true });
  const logFile = path.join(logDir, `${name}.log`);
  const log = createWriteStream(logFile, { flags: "a" });
  const [command, ...args] = [...tsNode, entry];
  const child = spawn(command, args, { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] });
  for (const stream of [child.stdout, child.stderr]) {
    stream!.pipe(log, { end: false });
    if (options.echo) stream!.on("data", (chunk: Buffer) => process.stdout.write(chunk));
  }
  return { name, child, logFile };
}

export function tailLog(file: string, lines = 15): string {
  try {
    return readFileSync(file, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
  } catch {
    return "(no log)";
  }
}

/** Polls a URL until it answers (any HTTP status below 500) or the process dies. */
export async function waitForHttp(url: string, proc: ManagedProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (proc.child.exitCode !== null) {
      throw new Error(
        `${proc.name} exited with ${proc.child.exitCode}; last lines of ${proc.logFile}:\n${tailLog(proc.logFile)}`,
      );
    }
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (response.status < 500) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${proc.name} did not answer ${url} within ${timeoutMs / 1000} s; see ${proc.logFile}`);
}

export async function stopAll(processes: ManagedProcess[]): Promise<void> {
  await Promise.all(
    [...processes].reverse().map(
      (proc) =>
        new Promise<void>((resolve) => {
          if (proc.child.exitCode !== null || proc.child.signalCode !== null) return resolve();
          const timer = setTimeout(() => proc.child.kill("SIGKILL"), 5000);
          proc.child.once("exit", () => {
            clearTimeout(timer);
            resolve();
          });
          proc.child.kill("SIGTERM");
        }),
    ),
  );
}
