import { spawnSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { gunzipSync } from "node:zlib";
import tar from "tar-stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startRegistry, type RunningRegistry } from "@/dev/registry/start-registry";
import { startTokenServer, type TokenServer } from "@/dev/registry/token-server";
import { AdapterError } from "@/server/adapters/adapter-error";
import type { AdapterSettings } from "@/server/adapters/config";
import { OCI_MANIFEST } from "@/server/adapters/oci/media-types";
import { RegistryClient } from "@/server/adapters/oci/registry-client";
import { buildZip } from "@/server/adapters/testing/build-zip";
import { adapterConfigJson, smallSafetensors } from "@/server/adapters/testing/make-adapter-files";
import { uploadAdapter } from "@/server/adapters/upload-adapter";
import { closeDb, getDb, type PrismaClient } from "@/server/db/client";

// Real registry (Debian docker-registry) and real PostgreSQL (PGlite in a temp folder unless the
// run provides DATABASE_URL). Names carry a run suffix so a shared CI database stays clean.
const run = randomBytes(3).toString("hex");
const uploader = { userId: null, email: "tester@example.com" };

let registry: RunningRegistry;
let authRegistry: RunningRegistry;
let tokenServer: TokenServer;
let tokenRegistry: RunningRegistry;
let work: string;
let db: PrismaClient;

beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), "kd-adapters-it-"));
  if (!process.env.DATABASE_URL) process.env.PGLITE_DIR = path.join(work, "db");
  [registry, authRegistry] = await Promise.all([
    startRegistry(),
    startRegistry({ basicAuth: { username: "pusher", password: "s3cret" } }),
  ]);
  tokenServer = await startTokenServer({ username: "robot", password: "t0ken" });
  tokenRegistry = await startRegistry({ tokenAuth: tokenServer });
  db = await getDb();
});

afterAll(async () => {
  await closeDb();
  await Promise.all([registry?.stop(), authRegistry?.stop(), tokenRegistry?.stop()]);
  await tokenServer?.stop();
  await rm(work, { recursive: true, force: true });
});

function settings(overrides: Partial<AdapterSettings> = {}): AdapterSettings {
  return {
    registryUrl: registry.url,
    repositoryPrefix: "kaito-adapters/",
    pullHost: "registry.example:5000",
    maxBytes: 64 * 1024 * 1024,
    uploadDir: path.join(work, "uploads"),
    ...overrides,
  };
}

type FormFile = { name: string; data: Buffer | string };

/** The exact bytes a browser would send for the upload form. */
async function multipart(fields: Record<string, string>, files: FormFile[]) {
  const form = new FormData();
  for (const [key, value] of Object.entries(fields)) form.append(key, value);
  for (const file of files)
    form.append("files", new Blob([typeof file.data === "string" ? file.data : new Uint8Array(file.data)]), file.name);
  const request = new Request("http://x/", { method: "POST", body: form });
  const body = Buffer.from(await request.arrayBuffer());
  return { body: Readable.from([body]), contentType: request.headers.get("content-type") };
}

const goodFiles = (config = adapterConfigJson(), weights = smallSafetensors()): FormFile[] => [
  { name: "adapter_config.json", data: config },
  { name: "adapter_model.safetensors", data: weights },
];

async function upload(
  name: string,
  files: FormFile[],
  opts: Partial<AdapterSettings> = {},
  baseModel = "phi-3-mini-4k-instruct",
) {
  const { body, contentType } = await multipart({ name, baseModel }, files);
  return uploadAdapter(body, contentType, uploader, { db, settings: settings(opts) });
}

async function expectNothingStored(name: string, registryUrl = registry.url) {
  expect(await db.adapter.findUnique({ where: { name } })).toBeNull();
  expect(await readdir(path.join(work, "uploads")).catch(() => [])).toEqual([]);
  const tags = await fetch(`${registryUrl}/v2/kaito-adapters/${name}/tags/list`);
  expect(tags.status).not.toBe(200);
}

const sha256 = (data: Buffer) => `sha256:${createHash("sha256").update(data).digest("hex")}`;

type TarFile = { type: string; mode: number; linkname: string | null; data: Buffer };

async function untar(blob: Buffer, mediaType: string): Promise<Map<string, TarFile>> {
  const files = new Map<string, TarFile>();
  const extract = tar.extract();
  extract.on("entry", (header, stream, next) => {
    const chunks: Buffer[] = [];
    stream.on("data", (c) => void chunks.push(c as Buffer));
    stream.on("end", () => {
      files.set(header.name, {
        type: header.type ?? "file",
        mode: header.mode ?? 0,
        linkname: header.linkname ?? null,
        data: Buffer.concat(chunks),
      });
      next();
    });
  });
  const done = new Promise<void>((resolve) => extract.on("finish", () => resolve()));
  extract.end(mediaType.endsWith("+gzip") ? gunzipSync(blob) : blob);
  await done;
  return files;
}

/** An environment with nothing from the host but PATH, so only the image's programs are found. */
const onlyPath = (PATH: string) => ({ PATH }) as unknown as NodeJS.ProcessEnv;

/** Unpacks layers in order into `dir`, as a container runtime builds the root filesystem. */
async function unpack(layers: Map<string, TarFile>[], dir: string): Promise<void> {
  for (const layer of layers)
    for (const [name, file] of layer) {
      const target = path.join(dir, name);
      if (file.type === "directory") await mkdir(target, { recursive: true, mode: file.mode });
      else if (file.type === "symlink") await symlink(file.linkname!, target);
      else await writeFile(target, file.data, { mode: file.mode });
    }
}

describe("publishing an adapter to the real registry", () => {
  it("pushes an OCI image whose layer holds the files under /data and records it", async () => {
    const name = `support-${run}`;
    const config = adapterConfigJson();
    const weights = smallSafetensors();
    const record = await upload(name, [...goodFiles(config, weights), { name: "README.md", data: "# support bot" }]);

    expect(record.image).toBe(`registry.example:5000/kaito-adapters/${name}@${record.digest}`);
    expect(record.tensorCount).toBe(4);
    expect(record.warnings).toEqual([]);

    const client = new RegistryClient(registry.url);
    const pulled = await client.getManifest(`kaito-adapters/${name}`, "latest", OCI_MANIFEST);
    expect(sha256(pulled.body)).toBe(record.digest);
    expect(pulled.digest).toBe(record.digest);
    const manifest = JSON.parse(pulled.body.toString());
    expect(manifest.mediaType).toBe(OCI_MANIFEST);
    expect(manifest.layers.map((l: { mediaType: string }) => l.mediaType)).toEqual([
      "application/vnd.oci.image.layer.v1.tar+gzip",
      "application/vnd.oci.image.layer.v1.tar",
    ]);

    const blobs: Buffer[] = [];
    for (const descriptor of manifest.layers) {
      const blob = await client.getBlob(`kaito-adapters/${name}`, descriptor.digest);
      expect(sha256(blob)).toBe(descriptor.digest);
      expect(blob.length).toBe(descriptor.size);
      blobs.push(blob);
    }
    const [shell, data] = await Promise.all(blobs.map((blob, i) => untar(blob, manifest.layers[i].mediaType)));
    expect([...data.keys()].sort()).toEqual([
      "data/",
      "data/README.md",
      "data/adapter_config.json",
      "data/adapter_model.safetensors",
    ]);
    expect(data.get("data/adapter_config.json")!.data.toString()).toBe(config);
    expect(data.get("data/adapter_model.safetensors")!.data.equals(weights)).toBe(true);
    expect(shell.get("bin/busybox")!.mode & 0o111).toBe(0o111);
    for (const applet of ["sh", "cp", "mkdir"]) expect(shell.get(`bin/${applet}`)?.linkname).toBe("busybox");

    const imageConfig = JSON.parse((await client.getBlob(`kaito-adapters/${name}`, manifest.config.digest)).toString());
    expect(imageConfig.rootfs.diff_ids).toEqual([sha256(gunzipSync(blobs[0])), manifest.layers[1].digest]);
    expect(imageConfig.config.Env).toEqual([expect.stringMatching(/^PATH=.*\/bin/)]);

    // The puller init container's own command, run by the image's own shell and cp in its own
    // root filesystem: chroot when we may (root), else the same command with relative paths.
    const rootfs = path.join(work, `rootfs-${name}`);
    await unpack([shell, data], rootfs);
    const copy = `mkdir -p /mnt/adapter/${name} && cp -r /data/. /mnt/adapter/${name}/`;
    const ran =
      process.getuid?.() === 0
        ? spawnSync("/usr/sbin/chroot", [rootfs, "/bin/sh", "-c", copy], { env: onlyPath("/bin"), encoding: "utf8" })
        : spawnSync(path.join(rootfs, "bin/sh"), ["-c", copy.replaceAll(" /", " ./")], {
            cwd: rootfs,
            env: onlyPath(path.join(rootfs, "bin")),
            encoding: "utf8",
          });
    expect(ran.stderr).toBe("");
    expect(ran.status).toBe(0);
    const copied = path.join(rootfs, "mnt/adapter", name);
    expect((await readdir(copied)).sort()).toEqual(["README.md", "adapter_config.json", "adapter_model.safetensors"]);
    expect(await readFile(path.join(copied, "adapter_config.json"), "utf8")).toBe(config);
    expect((await readFile(path.join(copied, "adapter_model.safetensors"))).equals(weights)).toBe(true);
    await rm(rootfs, { recursive: true, force: true });

    const row = await db.adapter.findUniqueOrThrow({ where: { name } });
    expect(row).toMatchObject({
      baseModel: "phi-3-mini-4k-instruct",
      digest: record.digest,
      uploadedByEmail: uploader.email,
    });
    expect(await readdir(path.join(work, "uploads"))).toEqual([]);
  });

  it("accepts the same files as a .zip and warns about a different base model", async () => {
    const name = `zipped-${run}`;
    const zip = buildZip([
      { name: "lora/adapter_config.json", data: Buffer.from(adapterConfigJson()) },
      { name: "lora/adapter_model.safetensors", data: smallSafetensors() },
    ]);
    const record = await upload(name, [{ name: "lora.zip", data: zip }], {}, "mistral-7b");
    expect(record.warnings[0]).toMatch(/mistralai\/Mistral-7B-v0.3/);
    expect(record.files.map((f) => f.name)).toEqual(["adapter_config.json", "adapter_model.safetensors"]);
  });

  it("refuses a second adapter with the same name and keeps the first", async () => {
    const name = `twice-${run}`;
    const first = await upload(name, goodFiles());
    await expect(upload(name, goodFiles())).rejects.toMatchObject({ reason: "duplicate_name", field: "name" });
    expect((await db.adapter.findUniqueOrThrow({ where: { name } })).digest).toBe(first.digest);
  });

  it("pushes with basic auth when the registry demands it", async () => {
    const name = `authed-${run}`;
    const record = await upload(name, goodFiles(), {
      registryUrl: authRegistry.url,
      credentials: { username: "pusher", password: "s3cret" },
    });
    expect(record.digest).toMatch(/^sha256:/);
  });

  it("pushes with a Bearer token from the realm the registry names", async () => {
    const name = `token-${run}`;
    const record = await upload(name, goodFiles(), {
      registryUrl: tokenRegistry.url,
      credentials: { username: "robot", password: "t0ken" },
    });
    const tags = await fetch(`${tokenRegistry.url}/v2/kaito-adapters/${name}/tags/list`);
    expect(tags.status).toBe(401);
    expect(record.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(await db.adapter.findUnique({ where: { name } })).not.toBeNull();
  });
});

describe("bad uploads leave nothing behind", () => {
  const cases: [string, () => FormFile[], Partial<AdapterSettings>, RegExp, string][] = [
    [
      "malformed JSON",
      () => goodFiles("{ peft_type: LORA"),
      {},
      /adapter_config.json: not valid JSON/,
      "invalid_config",
    ],
    [
      "wrong peft_type",
      () => goodFiles(adapterConfigJson({ peft_type: "IA3" })),
      {},
      /peft_type must be "LORA"/,
      "invalid_config",
    ],
    [
      "truncated safetensors",
      () => goodFiles(undefined, smallSafetensors().subarray(0, 300)),
      {},
      /adapter_model.safetensors: .*past the end/,
      "invalid_safetensors",
    ],
    [
      "lying safetensors header length",
      () => {
        const weights = smallSafetensors();
        weights.writeBigUInt64LE(BigInt(weights.length * 2));
        return goodFiles(undefined, weights);
      },
      {},
      /header length .* runs past the end of the file/,
      "invalid_safetensors",
    ],
    [
      "path traversal in an archive",
      () => [
        {
          name: "evil.zip",
          data: buildZip([{ name: "../../adapter_config.json", data: Buffer.from(adapterConfigJson()) }]),
        },
      ],
      {},
      /path traversal/,
      "invalid_archive",
    ],
    ["oversize upload", () => goodFiles(), { maxBytes: 4096 }, /exceeds the limit of 4 KiB/, "too_large"],
    ["a missing weights file", () => goodFiles().slice(0, 1), {}, /Missing adapter_model.safetensors/, "invalid_input"],
  ];

  it.each(cases)("%s", async (_label, files, opts, message, reason) => {
    const name = `bad-${reason.replace(/_/g, "-")}-${run}`;
    const error = await upload(name, files(), opts).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AdapterError);
    expect((error as AdapterError).message).toMatch(message);
    expect((error as AdapterError).reason).toBe(reason);
    await expectNothingStored(name);
  });

  it("an invalid name is reported on the name field", async () => {
    await expect(upload("Not_A_DNS_Name", goodFiles())).rejects.toMatchObject({
      reason: "invalid_input",
      field: "name",
    });
  });

  it("a registry that is down", async () => {
    const name = `down-${run}`;
    // A port that was free a moment ago: nothing listens there.
    const closed = await startRegistry();
    await closed.stop();
    await expect(upload(name, goodFiles(), { registryUrl: closed.url })).rejects.toMatchObject({
      reason: "registry_unavailable",
      message: expect.stringMatching(/not reachable \(ECONNREFUSED\)/),
    });
    await expectNothingStored(name);
  });

  it("a registry answering 401", async () => {
    const name = `denied-${run}`;
    await expect(upload(name, goodFiles(), { registryUrl: authRegistry.url })).rejects.toMatchObject({
      reason: "registry_unauthorized",
      message: expect.stringMatching(/requires a username and password/),
    });
    await expect(
      upload(name, goodFiles(), {
        registryUrl: authRegistry.url,
        credentials: { username: "pusher", password: "wrong" },
      }),
    ).rejects.toMatchObject({
      reason: "registry_unauthorized",
      message: expect.stringMatching(/credentials were refused/),
    });
    await expectNothingStored(name, authRegistry.url);
  });

  it("a token service refusing the credentials", async () => {
    const name = `token-denied-${run}`;
    await expect(
      upload(name, goodFiles(), {
        registryUrl: tokenRegistry.url,
        credentials: { username: "robot", password: "nope" },
      }),
    ).rejects.toMatchObject({
      reason: "registry_unauthorized",
      message: expect.stringMatching(/token service refused/),
    });
    expect(await db.adapter.findUnique({ where: { name } })).toBeNull();
  });
});
