import "server-only";

import http from "node:http";
import https from "node:https";
import { AdapterError } from "../adapter-error";

export type RegistryCredentials = { username: string; password: string };

type Challenge = { scheme: "basic" } | { scheme: "bearer"; realm: string; service?: string };

/**
 * A small client for the OCI distribution API: enough to push and inspect images. It follows
 * the registry's own challenge: Basic auth, or a Bearer token fetched from the `realm` named in
 * `WWW-Authenticate` (Docker Hub, Harbor, ACR, GHCR and distribution's token auth all work so).
 */
export class RegistryClient {
  private authorization: string | null = null;
  private authorizedScope: string | null = null;

  constructor(
    readonly baseUrl: string,
    private readonly credentials?: RegistryCredentials,
  ) {}

  /** Establishes credentials for pull+push on one repository before any large body is sent. */
  async authorize(repository: string, actions = "pull,push"): Promise<void> {
    const scope = `repository:${repository}:${actions}`;
    if (this.authorizedScope === scope) return;
    const probe = await this.send("GET", "/v2/");
    if (probe.ok) {
      this.authorizedScope = scope;
      return;
    }
    if (probe.status !== 401) throw await this.unexpected("GET /v2/", probe);
    const challenge = parseChallenge(probe.headers.get("www-authenticate"));
    await probe.body?.cancel();
    if (challenge.scheme === "basic") {
      if (!this.credentials) throw this.unauthorized("it requires a username and password and none is configured");
      this.authorization = `Basic ${Buffer.from(`${this.credentials.username}:${this.credentials.password}`).toString("base64")}`;
    } else {
      this.authorization = `Bearer ${await this.fetchToken(challenge, scope)}`;
    }
    const check = await this.send("GET", "/v2/");
    await check.body?.cancel();
    if (check.status === 401) throw this.unauthorized("the configured credentials were refused");
    if (!check.ok) throw await this.unexpected("GET /v2/", check);
    this.authorizedScope = scope;
  }

  async blobExists(repository: string, digest: string): Promise<boolean> {
    const response = await this.send("HEAD", `/v2/${repository}/blobs/${digest}`);
    if (response.status === 404) return false;
    if (response.ok) return true;
    throw await this.unexpected(`HEAD blob ${digest}`, response);
  }

  /** Uploads a small blob held in memory: POST starts the session, PUT sends it with its digest. */
  async uploadBlob(repository: string, body: Buffer, digest: string): Promise<void> {
    const location = await this.startUpload(repository);
    const url = new URL(location);
    url.searchParams.set("digest", digest);
    const finished = await this.send("PUT", url.toString(), {
      body,
      headers: { "content-type": "application/octet-stream" },
    });
    await finished.body?.cancel();
    if (finished.status !== 201) throw await this.unexpected("upload blob", finished);
  }

  /**
   * Uploads a large blob of known size that `produce` writes piece by piece and whose digest it
   * returns: PATCH streams the bytes with backpressure, PUT closes the session with the digest
   * the registry verifies. Each write resolves once its bytes have left the process, so the
   * producer can reuse its buffers.
   */
  async uploadStreamedBlob(
    repository: string,
    size: number,
    produce: (write: (chunk: Buffer) => Promise<void>) => Promise<string>,
  ): Promise<string> {
    const location = await this.startUpload(repository);
    const { response, digest } = await this.streamPatch(location, size, produce);
    if (response.status !== 202) throw await this.unexpected("upload blob data", response);
    const url = new URL(this.resolve(response.headers.get("location")));
    url.searchParams.set("digest", digest);
    const finished = await this.send("PUT", url.toString());
    await finished.body?.cancel();
    if (finished.status !== 201) throw await this.unexpected("finish blob upload", finished);
    return digest;
  }

  private async startUpload(repository: string): Promise<string> {
    const started = await this.send("POST", `/v2/${repository}/blobs/uploads/`);
    await started.body?.cancel();
    if (started.status !== 202) throw await this.unexpected("start blob upload", started);
    return this.resolve(started.headers.get("location"));
  }

  async putManifest(
    repository: string,
    reference: string,
    mediaType: string,
    manifest: Buffer,
  ): Promise<string | null> {
    const response = await this.send("PUT", `/v2/${repository}/manifests/${reference}`, {
      body: manifest,
      headers: { "content-type": mediaType },
    });
    if (response.status !== 201) throw await this.unexpected("put manifest", response);
    await response.body?.cancel();
    return response.headers.get("docker-content-digest");
  }

  async getManifest(
    repository: string,
    reference: string,
    accept: string,
  ): Promise<{ body: Buffer; digest: string | null }> {
    const response = await this.send("GET", `/v2/${repository}/manifests/${reference}`, { headers: { accept } });
    if (!response.ok) throw await this.unexpected("get manifest", response);
    return { body: Buffer.from(await response.arrayBuffer()), digest: response.headers.get("docker-content-digest") };
  }

  async getBlob(repository: string, digest: string): Promise<Buffer> {
    const response = await this.send("GET", `/v2/${repository}/blobs/${digest}`);
    if (!response.ok) throw await this.unexpected("get blob", response);
    return Buffer.from(await response.arrayBuffer());
  }

  /** Deletes a manifest by digest; a registry with deletion disabled answers 405, which we accept. */
  async deleteManifest(repository: string, digest: string): Promise<void> {
    const response = await this.send("DELETE", `/v2/${repository}/manifests/${digest}`);
    await response.body?.cancel();
    if (response.ok || response.status === 404 || response.status === 405) return;
    throw await this.unexpected("delete manifest", response);
  }

  /**
   * PATCH over node:http, not fetch: fetch's stream body was seen to pull the whole layer into
   * memory ahead of the socket. A write whose socket died never calls back, so every write also
   * races the request's failure.
   */
  private async streamPatch(
    location: string,
    size: number,
    produce: (write: (chunk: Buffer) => Promise<void>) => Promise<string>,
  ): Promise<{ response: Response; digest: string }> {
    const url = new URL(location);
    const headers: Record<string, string> = {
      "content-type": "application/octet-stream",
      "content-length": String(size),
    };
    if (this.authorization) headers.authorization = this.authorization;
    const request = withTimeouts((url.protocol === "https:" ? https : http).request(url, { method: "PATCH", headers }));
    const failed = new Promise<never>((_, reject) => {
      request.once("error", (error: NodeJS.ErrnoException) =>
        reject(
          new AdapterError(
            "registry_unavailable",
            `The adapter registry at ${this.baseUrl} failed during the upload (${error.code ?? error.message})`,
          ),
        ),
      );
    });
    failed.catch(() => undefined);
    const answered = new Promise<http.IncomingMessage>((resolve) => request.once("response", resolve));
    const write = (chunk: Buffer) =>
      Promise.race([
        failed,
        new Promise<void>((resolve, reject) => request.write(chunk, (error) => (error ? reject(error) : resolve()))),
      ]);
    let digest: string;
    try {
      digest = await produce(write);
      request.end();
    } catch (error) {
      request.destroy();
      throw error;
    }
    return { response: await toResponse(await Promise.race([failed, answered]), "PATCH"), digest };
  }

  private resolve(location: string | null): string {
    if (!location) throw new AdapterError("registry_error", "The registry did not return an upload location");
    return new URL(location, this.baseUrl).toString();
  }

  private async send(
    method: string,
    pathOrUrl: string,
    init: { body?: Buffer; headers?: Record<string, string> } = {},
  ): Promise<Response> {
    const url = pathOrUrl.startsWith("http") ? pathOrUrl : `${this.baseUrl}${pathOrUrl}`;
    const headers: Record<string, string> = { ...init.headers };
    if (this.authorization) headers.authorization = this.authorization;
    try {
      return await exchange(new URL(url), method, headers, init.body);
    } catch (error) {
      throw new AdapterError(
        "registry_unavailable",
        `The adapter registry at ${this.baseUrl} is not reachable (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
      );
    }
  }

  private async fetchToken(challenge: Extract<Challenge, { scheme: "bearer" }>, scope: string): Promise<string> {
    const url = new URL(challenge.realm);
    if (challenge.service) url.searchParams.set("service", challenge.service);
    url.searchParams.set("scope", scope);
    const headers: Record<string, string> = {};
    if (this.credentials) {
      headers.authorization = `Basic ${Buffer.from(`${this.credentials.username}:${this.credentials.password}`).toString("base64")}`;
    }
    let response: Response;
    try {
      response = await exchange(url, "GET", headers);
    } catch {
      throw new AdapterError("registry_unavailable", `The registry's token service at ${url.origin} is not reachable`);
    }
    if (response.status === 401 || response.status === 403) {
      throw this.unauthorized("its token service refused the configured credentials");
    }
    if (!response.ok) throw await this.unexpected("fetch token", response);
    const body = (await response.json()) as { token?: string; access_token?: string };
    const token = body.token ?? body.access_token;
    if (!token) throw new AdapterError("registry_error", "The registry's token service returned no token");
    return token;
  }

  private unauthorized(reason: string): AdapterError {
    return new AdapterError(
      "registry_unauthorized",
      `The adapter registry at ${this.baseUrl} denied access: ${reason}`,
    );
  }

  private async unexpected(what: string, response: Response): Promise<AdapterError> {
    if (response.status === 401 || response.status === 403) {
      await response.body?.cancel();
      return this.unauthorized(`${what} answered ${response.status}`);
    }
    // Registry error bodies are JSON {errors:[{code,message}]}: safe to show, they never echo credentials.
    let detail = "";
    try {
      const body = (await response.json()) as { errors?: { code?: string; message?: string }[] };
      detail = body.errors?.map((e) => `${e.code}: ${e.message}`).join("; ") ?? "";
    } catch {
      // not JSON
    }
    return new AdapterError(
      "registry_error",
      `The adapter registry failed to ${what} (HTTP ${response.status}${detail ? `, ${detail}` : ""})`,
    );
  }
}

// A registry that does not accept the connection, or stops answering mid-request, must fail the
// upload with a message rather than hold its staging folder and upload slot forever. The idle
// timeout is per socket event, so a long streamed layer never hits it while bytes move.
const CONNECT_TIMEOUT_MS = 10_000;
const IDLE_TIMEOUT_MS = 60_000;

function withTimeouts(request: http.ClientRequest): http.ClientRequest {
  request.setTimeout(IDLE_TIMEOUT_MS, () =>
    request.destroy(new Error(`it sent or took nothing for ${IDLE_TIMEOUT_MS / 1000} s`)),
  );
  request.once("socket", (socket) => {
    if (!socket.connecting) return;
    const timer = setTimeout(
      () => request.destroy(new Error(`no connection within ${CONNECT_TIMEOUT_MS / 1000} s`)),
      CONNECT_TIMEOUT_MS,
    );
    socket.once("connect", () => clearTimeout(timer));
    socket.once("close", () => clearTimeout(timer));
  });
  return request;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const MAX_REDIRECTS = 5;

/**
 * One request over node:http(s), answered as a fetch `Response`, following redirects as fetch
 * does (303 turns into a GET; credentials are not sent to another origin). Not fetch itself: its
 * first request compiles undici's Wasm HTTP parser with TurboFan, ~30 MiB of compiler memory at
 * once, which was the web process's peak during a publish (docs/adapters.md, "Memory of the web
 * process"). Registry answers are small JSON documents, manifests or test-sized blobs.
 */
async function exchange(url: URL, method: string, headers: Record<string, string>, body?: Buffer): Promise<Response> {
  for (let redirects = 0; ; redirects++) {
    const sent = body && method !== "GET" && method !== "HEAD" ? body : undefined;
    const response = await new Promise<http.IncomingMessage>((resolve, reject) => {
      const request = withTimeouts(
        (url.protocol === "https:" ? https : http).request(url, {
          method,
          headers:
            sent || !["GET", "HEAD", "DELETE"].includes(method)
              ? { ...headers, "content-length": String(sent?.length ?? 0) }
              : headers,
        }),
      );
      request.once("response", resolve);
      request.once("error", reject);
      request.end(sent);
    });
    const location = response.headers.location;
    if (!REDIRECTS.has(response.statusCode ?? 0) || !location || redirects === MAX_REDIRECTS) {
      return toResponse(response, method);
    }
    response.resume();
    const next = new URL(location, url);
    if (next.origin !== url.origin) delete headers.authorization;
    if (response.statusCode === 303 && method !== "HEAD") {
      method = "GET";
      body = undefined;
    }
    url = next;
  }
}

async function toResponse(response: http.IncomingMessage, method: string): Promise<Response> {
  const headers = new Headers();
  for (const [key, value] of Object.entries(response.headers)) {
    for (const item of Array.isArray(value) ? value : value === undefined ? [] : [value]) headers.append(key, item);
  }
  const status = response.statusCode ?? 502;
  const chunks: Buffer[] = [];
  for await (const chunk of response) chunks.push(chunk as Buffer);
  // A Response refuses a body (even an empty one) for these statuses.
  const noBody = method === "HEAD" || status === 204 || status === 205 || status === 304;
  return new Response(noBody ? null : Buffer.concat(chunks), { status, headers });
}

export function parseChallenge(header: string | null): Challenge {
  if (!header) return { scheme: "basic" };
  const [scheme, ...rest] = header.trim().split(/\s+/);
  if (scheme.toLowerCase() !== "bearer") return { scheme: "basic" };
  const params: Record<string, string> = {};
  for (const match of rest.join(" ").matchAll(/(\w+)="([^"]*)"/g)) params[match[1].toLowerCase()] = match[2];
  if (!params.realm) return { scheme: "basic" };
  return { scheme: "bearer", realm: params.realm, service: params.service };
}
