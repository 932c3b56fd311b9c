import "server-only";

import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { gzipSync } from "node:zlib";
import { AdapterError } from "../adapter-error";
import { encodeTarHeader, TAR_END, tarPadding } from "./encode-tar-header";

export type ShellLayer = {
  /** The gzip'd tar as stored in the registry. */
  blob: Buffer;
  digest: string;
  /** sha256 of the uncompressed tar: the image config's rootfs.diff_ids entry. */
  diffId: string;
  /** OCI architecture of the busybox binary, which the image as a whole then declares. */
  architecture: string;
};

/** The commands a puller init container runs: `/bin/sh -c "mkdir -p … && cp -r /data/. …"`. */
const APPLETS = ["sh", "cp", "mkdir"];
const ELF_MACHINES: Record<number, string> = { 0x3e: "amd64", 0xb7: "arm64" };
const PT_INTERP = 3;

let cached: Promise<ShellLayer> | undefined;

/**
 * A layer holding a statically linked busybox as /bin/busybox with /bin/sh, /bin/cp and
 * /bin/mkdir linked to it. Kaito-style puller init containers run the adapter image itself with
 * a shell command that copies /data into the shared adapter volume; an image holding only /data
 * cannot run that command. Built once per process from Debian's `busybox-static` binary.
 */
export function buildShellLayer(busyboxPath = process.env.ADAPTER_BUSYBOX_PATH ?? "/bin/busybox"): Promise<ShellLayer> {
  cached ??= build(busyboxPath);
  cached.catch(() => (cached = undefined));
  return cached;
}

async function build(busyboxPath: string): Promise<ShellLayer> {
  let binary: Buffer;
  try {
    binary = await readFile(busyboxPath);
  } catch {
    throw missingBusybox(busyboxPath, "it does not exist");
  }
  const architecture = staticElfArchitecture(binary);
  if (!architecture) throw missingBusybox(busyboxPath, "it is not a statically linked amd64 or arm64 program");

  const tar = Buffer.concat([
    encodeTarHeader({ type: "directory", name: "bin", mode: 0o755 }),
    encodeTarHeader({ type: "file", name: "bin/busybox", mode: 0o755, size: binary.length }),
    binary,
    Buffer.alloc(tarPadding(binary.length)),
    ...APPLETS.map((applet) =>
      encodeTarHeader({ type: "symlink", name: `bin/${applet}`, mode: 0o777, target: "busybox" }),
    ),
    TAR_END,
  ]);
  const blob = gzipSync(tar, { level: 9 });
  return { blob, digest: sha256(blob), diffId: sha256(tar), architecture };
}

/**
 * The ELF's architecture when it has no program interpreter, i.e. runs in an image with no
 * libc; null for anything else (Debian's plain `busybox` package installs a dynamic one).
 */
export function staticElfArchitecture(binary: Buffer): string | null {
  if (binary.length < 64 || binary.readUInt32BE(0) !== 0x7f454c46 || binary[4] !== 2 || binary[5] !== 1) return null;
  const architecture = ELF_MACHINES[binary.readUInt16LE(18)];
  if (!architecture) return null;
  const phoff = Number(binary.readBigUInt64LE(32));
  const phentsize = binary.readUInt16LE(54);
  const phnum = binary.readUInt16LE(56);
  for (let i = 0; i < phnum; i++) {
    const at = phoff + i * phentsize;
    if (at + 4 > binary.length) return null;
    if (binary.readUInt32LE(at) === PT_INTERP) return null;
  }
  return architecture;
}

function missingBusybox(busyboxPath: string, why: string): AdapterError {
  return new AdapterError(
    "registry_error",
    `Adapter images need a static busybox for the puller's shell, but ${busyboxPath} cannot be used: ${why}. Install Debian's busybox-static package or set ADAPTER_BUSYBOX_PATH.`,
  );
}

const sha256 = (data: Buffer) => `sha256:${createHash("sha256").update(data).digest("hex")}`;
