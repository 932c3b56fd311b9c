import "server-only";

import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { PrismaPGlite } from "pglite-prisma-adapter";

/**
 * A PGlite instance with the extensions the migrations create. PGlite ships contrib extensions
 * as separate bundles that must be handed over when the instance is created: `CREATE EXTENSION
 * pg_trgm` (the audit trail's free-text indexes) fails on an instance opened without it.
 * `dataDir` undefined gives an in-memory database.
 */
export function newPGlite(dataDir?: string): PGlite {
  return new PGlite({ dataDir, extensions: { pg_trgm } });
}

/**
 * The Prisma adapter for `pglite`. Its shadow database (where the schema engine replays the
 * migrations to diff them) is a newPGlite too: the adapter's own is a bare PGlite without pg_trgm.
 */
export function pgliteAdapter(pglite: PGlite): PrismaPGlite {
  const factory = new PrismaPGlite(pglite);
  factory.connectToShadowDb = async () => {
    const shadow = newPGlite();
    const adapter = await new PrismaPGlite(shadow).connect();
    return Object.assign(adapter, { dispose: () => shadow.close() });
  };
  return factory;
}
