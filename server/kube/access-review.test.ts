import { describe, expect, it } from "vitest";

import { ACCESS_TTL_MS, createAccessReviewer } from "./access-review";
import { KubeApiError, type KubeRequest } from "./kube-client";

const ana = { user: "kaito-dashboard:ana@example.com", groups: ["kaito-dashboard:operators"] };
const list = { verb: "list", group: "kaito.sh", resource: "workspaces" };

function fakeApiserver(answer: (req: KubeRequest) => unknown) {
  const seen: KubeRequest[] = [];
  return {
    seen,
    client: {
      async request<T>(req: KubeRequest): Promise<T> {
        seen.push(req);
        return answer(req) as T;
      },
    },
  };
}

describe("createAccessReviewer", () => {
  it("asks the apiserver as the user once per TTL, however many ask at once", async () => {
    let now = 0;
    const api = fakeApiserver(() => ({ status: { allowed: true } }));
    const reviews = createAccessReviewer(api.client, () => now);

    const answers = await Promise.all(Array.from({ length: 200 }, () => reviews.review(ana, list)));
    expect(answers.every((a) => a.allowed)).toBe(true);
    expect(api.seen).toHaveLength(1);
    expect(api.seen[0]).toMatchObject({
      method: "POST",
      path: "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews",
      as: ana,
      body: { spec: { resourceAttributes: list } },
    });

    now += ACCESS_TTL_MS - 1;
    await reviews.review(ana, list);
    expect(api.seen).toHaveLength(1);
    now += 2;
    await reviews.review(ana, list);
    expect(api.seen).toHaveLength(2);
  });

  it("keeps answers apart per user and per namespace", async () => {
    const api = fakeApiserver((req) => ({
      status: {
        allowed:
          (req.body as { spec: { resourceAttributes: { namespace?: string } } }).spec.resourceAttributes.namespace ===
          "team-a",
      },
    }));
    const reviews = createAccessReviewer(api.client);
    const bo = { user: "kaito-dashboard:bo@example.com", groups: ["kaito-dashboard:operators"] };

    expect((await reviews.review(ana, { ...list, namespace: "team-a" })).allowed).toBe(true);
    expect((await reviews.review(ana, { ...list, namespace: "team-b" })).allowed).toBe(false);
    await reviews.review(bo, { ...list, namespace: "team-a" });
    expect(api.seen).toHaveLength(3);
  });

  it("returns the apiserver's own refusal for a get, treats a missing object as allowed, and does not remember a failure", async () => {
    const message = 'workspaces.kaito.sh "w" is forbidden: User "kaito-dashboard:ana@example.com" cannot get resource';
    let down = true;
    const api = fakeApiserver((req) => {
      if (down) throw new Error("connect ECONNREFUSED");
      if (req.path.includes("team-b")) throw new KubeApiError(403, "Forbidden", message);
      if (req.path.includes("gone")) throw new KubeApiError(404, "NotFound", "not found");
      return {};
    });
    const reviews = createAccessReviewer(api.client);
    const path = (ns: string, name = "w") => `/apis/kaito.sh/v1beta1/namespaces/${ns}/workspaces/${name}`;

    await expect(reviews.get(ana, path("team-a"))).rejects.toThrow("ECONNREFUSED");
    down = false;
    expect(await reviews.get(ana, path("team-a"))).toEqual({ allowed: true });
    expect(await reviews.get(ana, path("team-a", "gone"))).toEqual({ allowed: true });
    expect(await reviews.get(ana, path("team-b"))).toEqual({ allowed: false, message });
    expect(api.seen.every((r) => r.as === ana && r.method === "GET")).toBe(true);
  });
});
