import "server-only";

import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";

/**
 * PGlite has no cross-process lock (two owners silently diverge), so the owner of an embedded
 * database directory records itself in `<dir>.owner.json`; everyone else either reaches the owner
 * over its socket or refuses to start.
 */
export type EmbeddedOwner = { pid: number; port: number | null; startedAt: string };

export function ownerFile(dir: string): string {
  return `${path.resolve(dir)}.owner.json`;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** The live owner of `dir`, or null when nobody (alive) owns it. */
export function readOwner(dir: string): EmbeddedOwner | null {
  let owner: EmbeddedOwner;
  try {
    owner = JSON.parse(readFileSync(ownerFile(dir), "utf8")) as EmbeddedOwner;
  } catch {
    return null;
  }
  if (owner.pid === process.pid || !isAlive(owner.pid)) return null;
  return owner;
}

export class EmbeddedDbBusyError extends Error {
  override name = "EmbeddedDbBusyError";
}

/** Takes ownership of `dir` for this process, or throws naming the process that has it. */
export function claimOwnership(dir: string, port: number | null): void {
  const current = readOwner(dir);
  if (current) {
    throw new EmbeddedDbBusyError(
      `The embedded database in ${dir} is already owned by process ${current.pid}` +
        (current.port ? ` (serving it on 127.0.0.1:${current.port}).` : ". Stop it first, or set DATABASE_URL."),
    );
  }
  mkdirSync(path.dirname(path.resolve(dir)), { recursive: true });
  const owner: EmbeddedOwner = { pid: process.pid, port, startedAt: new Date().toISOString() };
  writeFileSync(ownerFile(dir), `${JSON.stringify(owner)}\n`);
}

export function releaseOwnership(dir: string): void {
  try {
    const owner = JSON.parse(readFileSync(ownerFile(dir), "utf8")) as EmbeddedOwner;
    if (owner.pid === process.pid) rmSync(ownerFile(dir), { force: true });
  } catch {
    // Nothing to release.
  }
}
