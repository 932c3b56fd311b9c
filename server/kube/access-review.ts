import "server-only";

import { KubeApiError, type KubeClient, type KubeIdentity } from "./kube-client";

/**
 * How long an answer of the apiserver's authorizer is reused for one user. A RoleBinding
 * granted or removed takes effect in the dashboard's lists, live stream and chat proxy within
 * this time; writes are never cached (they are sent as the user, so the apiserver decides each).
 */
export const ACCESS_TTL_MS = 30_000;
// Bounds the memory of a cache keyed by user × namespace × name: past it, expired entries go.
const SWEEP_AT_ENTRIES = 10_000;

export type ResourceAttributes = {
  verb: string;
  group: string;
  resource: string;
  namespace?: string;
  name?: string;
};

export type Access = { allowed: true } | { allowed: false; message: string };

type Entry = { expires: number; answer: Promise<Access> };

const identityKey = (as: KubeIdentity) => `${as.user}\u0000${as.groups.join("\u0001")}`;

/**
 * Asks the apiserver whether a user may do something, and remembers the answer for
 * ACCESS_TTL_MS. Concurrent asks for the same thing share one request, so 200 chat streams a
 * user opens at once cost one review.
 */
export function createAccessReviewer(client: Pick<KubeClient, "request">, now: () => number = Date.now) {
  const answers = new Map<string, Entry>();

  function remember(key: string, ask: () => Promise<Access>): Promise<Access> {
    const t = now();
    const hit = answers.get(key);
    if (hit && hit.expires > t) return hit.answer;
    if (answers.size >= SWEEP_AT_ENTRIES) for (const [k, e] of answers) if (e.expires <= t) answers.delete(k);
    const answer = ask();
    answers.set(key, { expires: t + ACCESS_TTL_MS, answer });
    // A failed review (apiserver unreachable) is not an answer: the next ask tries again.
    answer.catch(() => answers.delete(key));
    return answer;
  }

  return {
    /**
     * A SelfSubjectAccessReview sent as the user: RBAC, and any authorization webhook, answers
     * exactly as for the user's own request. A review with no namespace asks about all of them.
     */
    review(as: KubeIdentity, attributes: ResourceAttributes): Promise<Access> {
      const key = `review\u0000${identityKey(as)}\u0000${JSON.stringify(attributes)}`;
      return remember(key, async () => {
        const result = await client.request<{ status?: { allowed?: boolean; reason?: string } }>({
          method: "POST",
          path: "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews",
          body: {
            apiVersion: "authorization.k8s.io/v1",
            kind: "SelfSubjectAccessReview",
            spec: { resourceAttributes: attributes },
          },
          as,
        });
        if (result.status?.allowed) return { allowed: true };
        return { allowed: false, message: result.status?.reason || "not allowed" };
      });
    },

    /**
     * Whether the user may GET one object, from a GET sent as the user: a refusal carries the
     * apiserver's own message ("… is forbidden: User … cannot get resource …"), the one the
     * person would see from kubectl. An object that does not exist is not a refusal.
     */
    get(as: KubeIdentity, path: string): Promise<Access> {
      return remember(`get\u0000${identityKey(as)}\u0000${path}`, async () => {
        try {
          await client.request({ method: "GET", path, as });
          return { allowed: true };
        } catch (error) {
          if (error instanceof KubeApiError && error.statusCode === 404) return { allowed: true };
          if (error instanceof KubeApiError && error.statusCode === 403)
            return { allowed: false, message: error.message };
          throw error;
        }
      });
    },

    forget(): void {
      answers.clear();
    },
  };
}

export type AccessReviewer = ReturnType<typeof createAccessReviewer>;
