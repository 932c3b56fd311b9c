import http from "node:http";
import type { AddressInfo } from "node:net";

import { KubeConfig } from "@kubernetes/client-node";
import { afterEach, describe, expect, it } from "vitest";

import { createKubeClient, KubeApiError, KubeTimeoutError } from "./kube-client";

type Seen = { method?: string; url?: string; headers: http.IncomingHttpHeaders };

let server: http.Server | undefined;

afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  server = undefined;
});

async function fakeApiserver(handler: (req: http.IncomingMessage, res: http.ServerResponse) => void) {
  const seen: Seen[] = [];
  server = http.createServer((req, res) => {
    seen.push({ method: req.method, url: req.url, headers: req.headers });
    handler(req, res);
  });
  await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [
      { name: "c", server: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, skipTLSVerify: true },
    ],
    users: [{ name: "u", token: "sa-token" }],
    contexts: [{ name: "x", cluster: "c", user: "u" }],
    currentContext: "x",
  });
  return { kc, seen };
}

describe("kube client", () => {
  it("sends a request as the user it acts for, with one Impersonate-Group header per group", async () => {
    const { kc, seen } = await fakeApiserver((_, res) => res.end("{}"));
    const client = await createKubeClient(kc);

    await client
      .as({ user: "kaito-dashboard:ana@example.com", groups: ["kaito-dashboard:operators", "ml-team"] })
      .request({ method: "GET", path: "/apis/kaito.sh/v1beta1/namespaces/team-a/workspaces" });
    await client.request({ method: "GET", path: "/version" });

    const raw = (i: number) => seen[i].headers;
    expect(raw(0)["impersonate-user"]).toBe("kaito-dashboard:ana@example.com");
    // Node joins repeated request headers with ", " when it parses them.
    expect(raw(0)["impersonate-group"]).toBe("kaito-dashboard:operators, ml-team");
    expect(raw(0).authorization).toBe("Bearer sa-token");
    expect(raw(1)["impersonate-user"]).toBeUndefined();
    expect(raw(1)["impersonate-group"]).toBeUndefined();
  });

  it("gives up on a request the apiserver does not answer within its deadline", async () => {
    const { kc } = await fakeApiserver(() => {});
    const client = await createKubeClient(kc, { timeoutMs: 5_000 });

    const started = Date.now();
    const error = (await client
      .request({ method: "GET", path: "/api/v1/nodes", timeoutMs: 200 })
      .catch((e: unknown) => e)) as KubeTimeoutError;

    expect(error).toBeInstanceOf(KubeTimeoutError);
    expect(error.message).toContain("did not answer within 0.2 s");
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it("turns a refusal into a KubeApiError with the apiserver's own reason and message", async () => {
    const message =
      'workspaces.kaito.sh is forbidden: User "kaito-dashboard:ana@example.com" cannot create resource "workspaces" in API group "kaito.sh" in the namespace "team-b"';
    const { kc } = await fakeApiserver((_, res) => {
      res.statusCode = 403;
      res.end(JSON.stringify({ kind: "Status", status: "Failure", reason: "Forbidden", message, code: 403 }));
    });
    const client = await createKubeClient(kc);

    const error = await client.request({ method: "POST", path: "/x", body: {} }).catch((e) => e);

    expect(error).toBeInstanceOf(KubeApiError);
    expect(error).toMatchObject({ statusCode: 403, reason: "Forbidden", message });
  });
});
