import net from "node:net";

import type { PGlite } from "@electric-sql/pglite";

/**
 * Serves one PGlite database to other processes over the PostgreSQL wire protocol.
 *
 * PGlite is a single session, so clients take turns. The unit of a turn is a batch of messages
 * up to a Sync or simple Query — pglite-socket's own server interleaves single messages, so one
 * client's Bind could land on another client's unnamed Parse. While a batch leaves a transaction
 * open, the same client keeps its turn until it commits or rolls back (or disconnects, which
 * rolls back), so transactions from different processes never mix.
 */
export async function serveEmbedded(pglite: PGlite, options: { port: number; host?: string }): Promise<net.Server> {
  let holder: Connection | null = null;
  const waiting: Array<() => void> = [];

  const acquire = async (connection: Connection) => {
    while (holder && holder !== connection) await new Promise<void>((resolve) => waiting.push(resolve));
    holder = connection;
  };
  const release = (connection: Connection) => {
    if (holder !== connection) return;
    holder = null;
    waiting.splice(0).forEach((wake) => wake());
  };

  class Connection {
    private buffer = Buffer.alloc(0);
    private batch: Buffer[] = [];
    private started = false;
    private chain: Promise<void> = Promise.resolve();

    constructor(private readonly socket: net.Socket) {
      socket.setNoDelay(true);
      socket.on("data", (data) => {
        this.buffer = Buffer.concat([this.buffer, data]);
        this.chain = this.chain.then(() => this.drain()).catch(() => void socket.destroy());
      });
      socket.on("close", () => {
        this.chain = this.chain.then(() => this.close());
      });
      socket.on("error", () => socket.destroy());
    }

    private async drain(): Promise<void> {
      for (;;) {
        if (!this.started) {
          if (this.buffer.length < 8) return;
          const length = this.buffer.readInt32BE(0);
          const code = this.buffer.readInt32BE(4);
          if (this.buffer.length < length) return;
          const message = this.buffer.subarray(0, length);
          this.buffer = this.buffer.subarray(length);
          if (code === 80877103 || code === 80877104) {
            this.socket.write("N"); // no TLS/GSS on a loopback-only socket
          } else if (code === 80877102) {
            this.socket.end(); // cancel requests are not supported
            return;
          } else {
            this.started = true;
            await this.run([message], false);
          }
          continue;
        }
        if (this.buffer.length < 5) return;
        const length = 1 + this.buffer.readInt32BE(1);
        if (this.buffer.length < length) return;
        const type = String.fromCharCode(this.buffer[0]);
        const message = this.buffer.subarray(0, length);
        this.buffer = this.buffer.subarray(length);
        if (type === "X") {
          this.socket.end();
          return;
        }
        this.batch.push(Buffer.from(message));
        if (type === "S" || type === "Q" || type === "H") await this.run(this.batch.splice(0), true);
      }
    }

    private async run(messages: Buffer[], keepTransactionTurn: boolean): Promise<void> {
      await acquire(this);
      try {
        await pglite.execProtocolRawStream(new Uint8Array(Buffer.concat(messages)), {
          onRawData: (chunk) => {
            if (!this.socket.destroyed) this.socket.write(Buffer.from(chunk));
          },
        });
      } finally {
        if (!(keepTransactionTurn && pglite.isInTransaction())) release(this);
      }
    }

    private async close(): Promise<void> {
      if (holder !== this) return;
      try {
        if (pglite.isInTransaction()) await pglite.exec("ROLLBACK");
      } finally {
        release(this);
      }
    }
  }

  const server = net.createServer((socket) => new Connection(socket));
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host ?? "127.0.0.1", () => resolve());
  });
  return server;
}
