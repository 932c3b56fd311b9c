// Runs the local OCI registry in the foreground for `npm start` / development:
//   tsx dev/registry/cli.ts   (REGISTRY_PORT, default 5002; storage in .data/registry)
import path from "node:path";
import { startRegistry } from "./start-registry";

const root = path.resolve(import.meta.dirname, "../..");
const port = Number(process.env.REGISTRY_PORT ?? 5002);
const storageDir = process.env.REGISTRY_STORAGE_DIR ?? path.join(root, ".data/registry");

const registry = await startRegistry({ port, storageDir, verbose: process.env.REGISTRY_VERBOSE === "1" });
console.log(`OCI registry listening on ${registry.url} (storage ${storageDir})`);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    void registry.stop().then(() => process.exit(0));
  });
}
