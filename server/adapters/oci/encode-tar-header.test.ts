import { describe, expect, it } from "vitest";
import { encodeTarHeader, tarPadding, tarSize } from "./encode-tar-header";

describe("encodeTarHeader", () => {
  it("writes a ustar block whose checksum verifies", () => {
    const header = encodeTarHeader({ type: "file", name: "data/a.json", mode: 0o644, size: 1234 });
    expect(header.length).toBe(512);
    expect(header.subarray(257, 263).toString("ascii")).toBe("ustar\u0000");
    expect(parseInt(header.subarray(124, 135).toString("ascii"), 8)).toBe(1234);
    const stored = parseInt(header.subarray(148, 154).toString("ascii"), 8);
    const copy = Buffer.from(header);
    copy.fill(0x20, 148, 156);
    expect(copy.reduce((sum, byte) => sum + byte, 0)).toBe(stored);
  });

  it("refuses names that do not fit the header", () => {
    expect(() => encodeTarHeader({ type: "file", name: `data/${"x".repeat(100)}`, mode: 0o644, size: 1 })).toThrow(
      /too long/,
    );
  });

  it("counts headers, padded data and the two end blocks", () => {
    expect(tarPadding(512)).toBe(0);
    expect(tarPadding(1)).toBe(511);
    expect(
      tarSize([
        { type: "directory", name: "data", mode: 0o755 },
        { type: "file", name: "data/x", mode: 0o644, size: 513 },
      ]),
    ).toBe(512 + 512 + 1024 + 1024);
  });
});
