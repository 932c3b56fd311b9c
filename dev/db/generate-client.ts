// `npm run prisma:generate`: builds the Prisma client into server/db/generated (git-ignored).
// The Prisma CLI insists on a schema-engine binary it cannot download here even though
// `generate` never runs it, so it gets a dummy executable (docs/architecture.md, "Database tooling").
import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

const dummy = path.join(mkdtempSync(path.join(tmpdir(), "kd-prisma-")), "schema-engine");
writeFileSync(dummy, "#!/bin/sh\necho 'schema engine binary is not available; see dev/db' >&2\nexit 1\n");
chmodSync(dummy, 0o755);

const result = spawnSync("npx", ["prisma", "generate"], {
  stdio: "inherit",
  env: { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: dummy, PRISMA_HIDE_UPDATE_MESSAGE: "1", CHECKPOINT_DISABLE: "1" },
});
process.exit(result.status ?? 1);
