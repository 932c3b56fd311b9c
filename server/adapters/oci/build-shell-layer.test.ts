import { describe, expect, it } from "vitest";
import { buildShellLayer, staticElfArchitecture } from "./build-shell-layer";

/** A minimal 64-bit little-endian ELF header with the given machine and program header types. */
function elf(machine: number, programTypes: number[]): Buffer {
  const phoff = 64;
  const binary = Buffer.alloc(phoff + programTypes.length * 56);
  binary.writeUInt32BE(0x7f454c46, 0);
  binary[4] = 2;
  binary[5] = 1;
  binary.writeUInt16LE(machine, 18);
  binary.writeBigUInt64LE(BigInt(phoff), 32);
  binary.writeUInt16LE(56, 54);
  binary.writeUInt16LE(programTypes.length, 56);
  programTypes.forEach((type, i) => binary.writeUInt32LE(type, phoff + i * 56));
  return binary;
}

describe("staticElfArchitecture", () => {
  it("names the architecture of a program without an interpreter", () => {
    expect(staticElfArchitecture(elf(0x3e, [1, 1]))).toBe("amd64");
    expect(staticElfArchitecture(elf(0xb7, [1]))).toBe("arm64");
  });

  it("refuses dynamically linked programs, other machines and non-ELF files", () => {
    expect(staticElfArchitecture(elf(0x3e, [6, 3, 1]))).toBeNull();
    expect(staticElfArchitecture(elf(0x28, [1]))).toBeNull();
    expect(staticElfArchitecture(Buffer.from("#!/bin/sh\necho hi\n".padEnd(80)))).toBeNull();
  });
});

describe("buildShellLayer", () => {
  it("says which package to install when busybox is missing", async () => {
    await expect(buildShellLayer("/nonexistent/busybox")).rejects.toThrow(/busybox-static/);
  });

  // No skip when busybox is missing: the error then names the package to install.
  it("builds the same layer every time from Debian's static busybox", async () => {
    const layer = await buildShellLayer("/bin/busybox");
    expect(layer.architecture).toMatch(/^(amd64|arm64)$/);
    expect(layer.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(await buildShellLayer("/bin/busybox")).toBe(layer);
  });
});
