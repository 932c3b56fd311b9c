// A throwaway PostgreSQL server for the integration tests when no DATABASE_URL is given:
// `TEST_POSTGRES=1 npm run test:integration` starts one from Debian's postgresql-15 binaries on an
// ephemeral port. PostgreSQL refuses to run as root, so as root it runs as `nobody`.
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";

import { freePort } from "@/dev/lib/ports";

const BIN = process.env.POSTGRES_BIN_DIR ?? "/usr/lib/postgresql/15/bin";

export type TestPostgres = { url: string; stop(): Promise<void> };

function nobody(): { uid: number; gid: number } {
  const id = (flag: string) => Number(execFileSync("id", [flag, "nobody"], { encoding: "utf8" }).trim());
  return { uid: id("-u"), gid: id("-g") };
}

export async function startTestPostgres(): Promise<TestPostgres> {
  if (!existsSync(path.join(BIN, "initdb")))
    throw new Error(`PostgreSQL binaries not found in ${BIN}: apt-get install -y postgresql`);
  const root = process.getuid?.() === 0;
  const dir = mkdtempSync(path.join(tmpdir(), "kd-pg-"));
  chmodSync(dir, 0o777);
  const data = path.join(dir, "data");
  // As root the programs run directly under nobody's uid (not through runuser, which ignores
  // SIGINT and, killed, leaves postgres running with our stderr pipe open: the process hung).
  const asUser = root ? nobody() : {};
  execFileSync(path.join(BIN, "initdb"), ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"], {
    stdio: "ignore",
    ...asUser,
  });
  const port = await freePort();
  const args = [
    "-D",
    data,
    "-p",
    String(port),
    "-k",
    dir,
    "-h",
    "127.0.0.1",
    "-c",
    "fsync=off",
    "-c",
    "synchronous_commit=off",
    "-c",
    "full_page_writes=off",
  ];
  const child: ChildProcess = spawn(path.join(BIN, "postgres"), args, {
    stdio: ["ignore", "ignore", "pipe"],
    ...asUser,
  });
  let log = "";
  child.stderr?.on("data", (d) => (log += String(d)));
  const url = `postgresql://postgres@127.0.0.1:${port}/postgres`;
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`postgres exited: ${log}`);
    const ok = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, "127.0.0.1", () => {
        socket.end();
        resolve(true);
      });
      socket.on("error", () => resolve(false));
    });
    if (ok && log.includes("ready to accept connections")) break;
    if (i > 200) throw new Error(`postgres did not start: ${log}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once("exit", resolve));
        child.kill("SIGINT");
        // A fast shutdown can wait on a backend that a pooled client left behind; don't wait forever.
        const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
