import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { boundaryFromContentType, parseMultipart, type PartInfo } from "./parse-multipart";

async function collect(body: Buffer, boundary: string, chunkSize: number, maxBytes = Infinity) {
  const parts: { info: PartInfo; data: Buffer }[] = [];
  async function* chunks() {
    for (let i = 0; i < body.length; i += chunkSize) yield body.subarray(i, i + chunkSize);
  }
  await parseMultipart(
    chunks(),
    boundary,
    (info) => {
      const pieces: Buffer[] = [];
      parts.push({ info, data: Buffer.alloc(0) });
      const entry = parts[parts.length - 1];
      return { write: (c) => void pieces.push(Buffer.from(c)), end: () => void (entry.data = Buffer.concat(pieces)) };
    },
    maxBytes,
  );
  return parts;
}

/** Builds the body exactly as the Web FormData serializer does, then parses it back. */
async function encode(form: FormData) {
  const request = new Request("http://x/", { method: "POST", body: form });
  return {
    body: Buffer.from(await request.arrayBuffer()),
    boundary: boundaryFromContentType(request.headers.get("content-type")),
  };
}

describe("parseMultipart", () => {
  const binary = randomBytes(40_000);
  // A payload that contains the boundary's prefix many times must survive untouched.
  const tricky = Buffer.concat([Buffer.from("\r\n--\r\n-"), binary, Buffer.from("\r\n--")]);

  it.each([1, 7, 64, 65_536])(
    "parses fields and files split into %i-byte chunks",
    async (chunkSize) => {
      const form = new FormData();
      form.append("name", "my-lora");
      form.append("files", new Blob([binary]), "adapter_model.safetensors");
      form.append("files", new Blob([tricky]), "README.md");
      const { body, boundary } = await encode(form);
      const parts = await collect(body, boundary, chunkSize);
      expect(parts.map((p) => [p.info.name, p.info.filename])).toEqual([
        ["name", null],
        ["files", "adapter_model.safetensors"],
        ["files", "README.md"],
      ]);
      expect(parts[0].data.toString()).toBe("my-lora");
      expect(parts[1].data.equals(binary)).toBe(true);
      expect(parts[2].data.equals(tricky)).toBe(true);
      // 1-byte chunks mean ~80k parser turns: slow on a loaded CI machine, not wrong.
    },
    30_000,
  );

  it("stops with a size error as soon as the body exceeds the limit", async () => {
    const form = new FormData();
    form.append("files", new Blob([binary]), "adapter_model.safetensors");
    const { body, boundary } = await encode(form);
    await expect(collect(body, boundary, 4096, 20_000)).rejects.toThrow(/exceeds the limit of 19.5 KiB/);
  });

  it("rejects a body that ends before the closing boundary", async () => {
    const form = new FormData();
    form.append("name", "x");
    const { body, boundary } = await encode(form);
    await expect(collect(body.subarray(0, body.length - 10), boundary, 100)).rejects.toThrow(/ended before/);
  });

  it("requires a multipart content type", () => {
    expect(() => boundaryFromContentType("application/json")).toThrow(/multipart\/form-data/);
    expect(boundaryFromContentType('multipart/form-data; boundary="a b"')).toBe("a b");
  });
});
