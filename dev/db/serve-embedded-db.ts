// The single owner of the embedded PGlite database (PGLITE_DIR, default .data/db): applies the
// migrations and serves the database on 127.0.0.1:EMBEDDED_DB_PORT (default 5499), so the web
// app and the worker — separate processes — share it through ordinary postgres:// connections.
// A second owner is refused with the pid of the first.
import { dbConfig } from "../../server/db/config";
import { openEmbedded } from "../../server/db/client";
import { EmbeddedDbBusyError, releaseOwnership } from "../../server/db/embedded-lock";
import { serveEmbedded } from "./serve-embedded";

const config = dbConfig();
try {
  const { pglite } = await openEmbedded(config.PGLITE_DIR, config.EMBEDDED_DB_PORT);
  const server = await serveEmbedded(pglite, { port: config.EMBEDDED_DB_PORT });
  console.log(
    `Embedded database ${config.PGLITE_DIR} served on postgresql://postgres@127.0.0.1:${config.EMBEDDED_DB_PORT}/postgres`,
  );

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    server.close();
    await pglite.close();
    releaseOwnership(config.PGLITE_DIR);
    process.exit(0);
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
} catch (error) {
  if (error instanceof EmbeddedDbBusyError) {
    console.error(error.message);
    process.exit(3);
  }
  throw error;
}
