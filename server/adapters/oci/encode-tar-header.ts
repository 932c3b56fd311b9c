import "server-only";

export type TarEntry =
  | { type: "directory"; name: string; mode: number }
  | { type: "file"; name: string; mode: number; size: number }
  | { type: "symlink"; name: string; mode: number; target: string };

export const TAR_BLOCK = 512;
/** A tar archive ends with two zero blocks. */
export const TAR_END = Buffer.alloc(2 * TAR_BLOCK);

/**
 * One POSIX ustar header block. Owner 0:0 and mtime 0 are fixed so that the same files always
 * give the same layer digest (a re-upload of identical weights reuses the stored blob).
 */
export function encodeTarHeader(entry: TarEntry): Buffer {
  const name = entry.type === "directory" && !entry.name.endsWith("/") ? `${entry.name}/` : entry.name;
  if (Buffer.byteLength(name) > 100) throw new Error(`tar entry name too long: ${name}`);
  const header = Buffer.alloc(TAR_BLOCK);
  header.write(name, 0, 100, "utf8");
  octal(header, 100, 8, entry.mode);
  octal(header, 108, 8, 0);
  octal(header, 116, 8, 0);
  octal(header, 124, 12, entry.type === "file" ? entry.size : 0);
  octal(header, 136, 12, 0);
  header.write(entry.type === "file" ? "0" : entry.type === "directory" ? "5" : "2", 156, 1, "ascii");
  if (entry.type === "symlink") header.write(entry.target, 157, 100, "utf8");
  header.write("ustar\u000000", 257, 8, "ascii");
  header.write("root", 265, 32, "ascii");
  header.write("root", 297, 32, "ascii");
  // The checksum is computed with its own field read as eight spaces.
  header.fill(0x20, 148, 156);
  let sum = 0;
  for (const byte of header) sum += byte;
  header.write(`${sum.toString(8).padStart(6, "0")}\u0000 `, 148, 8, "ascii");
  return header;
}

/** Zero bytes that pad a file's data to a whole block. */
export function tarPadding(size: number): number {
  return (TAR_BLOCK - (size % TAR_BLOCK)) % TAR_BLOCK;
}

/** The exact byte length of an archive holding these entries. */
export function tarSize(entries: TarEntry[]): number {
  let size = TAR_END.length;
  for (const entry of entries) {
    size += TAR_BLOCK;
    if (entry.type === "file") size += entry.size + tarPadding(entry.size);
  }
  return size;
}

function octal(header: Buffer, offset: number, length: number, value: number): void {
  const digits = value.toString(8);
  if (digits.length > length - 1) throw new Error(`tar field overflow: ${value}`);
  header.write(`${digits.padStart(length - 1, "0")}\u0000`, offset, length, "ascii");
}
