import { execFileSync } from "node:child_process";
import { createSign, randomUUID, X509Certificate } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import http from "node:http";
import type net from "node:net";
import os from "node:os";
import path from "node:path";

export type TokenServer = {
  realm: string;
  service: string;
  issuer: string;
  /** PEM file the registry trusts (`auth.token.rootcertbundle`). */
  rootCertBundle: string;
  stop(): Promise<void>;
};

const b64url = (data: Buffer | string) => Buffer.from(data).toString("base64url");

/**
 * A minimal Docker/OCI token service, for testing Bearer auth against the real distribution
 * registry: checks one basic-auth user and issues RS256 JWTs signed by a throwaway self-signed
 * certificate that the registry is configured to trust (the `x5c` header carries it).
 */
export async function startTokenServer(user: { username: string; password: string }): Promise<TokenServer> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "kd-token-"));
  const keyPath = path.join(dir, "key.pem");
  const certPath = path.join(dir, "cert.pem");
  execFileSync(
    "openssl",
    [
      "req",
      "-x509",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-days",
      "1",
      "-subj",
      "/CN=kd-test-token-issuer",
      "-keyout",
      keyPath,
      "-out",
      certPath,
    ],
    { stdio: "ignore" },
  );
  const key = await readFile(keyPath, "utf8");
  const cert = new X509Certificate(await readFile(certPath));
  const service = "kd-test-registry";
  const issuer = "kd-test-token-issuer";
  const expected = `Basic ${Buffer.from(`${user.username}:${user.password}`).toString("base64")}`;

  const server = http.createServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://localhost");
    if (request.headers.authorization !== expected) {
      response.writeHead(401, { "content-type": "application/json" }).end('{"details":"bad credentials"}');
      return;
    }
    const access = url.searchParams.getAll("scope").flatMap((scope) => {
      const [type, name, actions] = scope.split(":");
      return type === "repository" ? [{ type, name, actions: actions.split(",") }] : [];
    });
    const now = Math.floor(Date.now() / 1000);
    const header = { alg: "RS256", typ: "JWT", x5c: [cert.raw.toString("base64")] };
    const claims = {
      iss: issuer,
      sub: user.username,
      aud: service,
      exp: now + 300,
      nbf: now - 10,
      iat: now,
      jti: randomUUID(),
      access,
    };
    const unsigned = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
    const signature = createSign("RSA-SHA256").update(unsigned).sign(key);
    const token = `${unsigned}.${b64url(signature)}`;
    response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ token, access_token: token }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    realm: `http://127.0.0.1:${port}/token`,
    service,
    issuer,
    rootCertBundle: certPath,
    async stop() {
      await new Promise((resolve) => server.close(resolve));
      await rm(dir, { recursive: true, force: true });
    },
  };
}
