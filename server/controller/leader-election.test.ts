import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { KubeApiError, type KubeClient, type KubeRequest } from "@/server/kube/kube-client";

import { runLeaderElection } from "./leader-election";
import type { Logger } from "./logger";

type Lease = {
  metadata: { name: string; namespace: string; resourceVersion?: string };
  spec: { holderIdentity?: string; renewTime?: string; leaseDurationSeconds?: number; leaseTransitions?: number };
};

/** One Lease in memory, with the apiserver's optimistic concurrency on resourceVersion. */
function leaseStore() {
  let lease: Lease | undefined;
  let version = 0;
  const store = (next: Lease) => {
    lease = { ...next, metadata: { ...next.metadata, resourceVersion: String(++version) } };
    return lease;
  };
  const client = {
    async request<T>(req: KubeRequest): Promise<T> {
      if (req.method === "GET") {
        if (!lease) throw new KubeApiError(404, "NotFound", "not found");
        return structuredClone(lease) as T;
      }
      const body = req.body as Lease;
      if (req.method === "POST") {
        if (lease) throw new KubeApiError(409, "AlreadyExists", "exists");
        return store(body) as T;
      }
      if (body.metadata.resourceVersion !== lease?.metadata.resourceVersion)
        throw new KubeApiError(409, "Conflict", "the object has been modified");
      return store(body) as T;
    },
  } as KubeClient;
  return {
    client,
    holder: () => lease?.spec.holderIdentity,
    /** Another process writes the lease as holder, stamping renewTime with its own (maybe wrong) clock. */
    renewAs(identity: string, renewTime: Date) {
      store({
        metadata: { name: "worker", namespace: "kd", resourceVersion: lease?.metadata.resourceVersion },
        spec: { holderIdentity: identity, renewTime: renewTime.toISOString(), leaseDurationSeconds: 10 },
      });
    },
  };
}

const quiet: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => quiet };

function candidate(client: KubeClient) {
  const started = vi.fn();
  const election = runLeaderElection({
    client,
    namespace: "kd",
    name: "worker",
    identity: "me",
    durationSeconds: 10,
    renewDeadlineSeconds: 8,
    retryPeriodSeconds: 2,
    log: quiet,
    onStartedLeading: started,
    onStoppedLeading: () => {},
  });
  return { election, started };
}

describe("leader election", () => {
  beforeEach(() => vi.useFakeTimers({ now: new Date("2026-12-04T12:00:00Z") }));
  afterEach(() => vi.useRealTimers());

  it("takes over a lease that stopped changing for its duration, though its renewTime lies in the future", async () => {
    const lease = leaseStore();
    // The old holder's clock ran an hour ahead; then it died.
    lease.renewAs("old", new Date(Date.now() + 3_600_000));
    const { election, started } = candidate(lease.client);

    await vi.advanceTimersByTimeAsync(9_000);
    expect(lease.holder()).toBe("old");
    await vi.advanceTimersByTimeAsync(4_000);
    expect(lease.holder()).toBe("me");
    expect(started).toHaveBeenCalledOnce();
    await election.stop();
  });

  it("never takes over a lease its holder keeps renewing, though its renewTime lies in the past", async () => {
    const lease = leaseStore();
    // The holder's clock runs an hour behind, and it renews every 2 s.
    lease.renewAs("old", new Date(Date.now() - 3_600_000));
    const renewing = setInterval(() => lease.renewAs("old", new Date(Date.now() - 3_600_000)), 2_000);
    const { election, started } = candidate(lease.client);

    await vi.advanceTimersByTimeAsync(60_000);
    expect(lease.holder()).toBe("old");
    expect(started).not.toHaveBeenCalled();

    clearInterval(renewing);
    await vi.advanceTimersByTimeAsync(13_000);
    expect(lease.holder()).toBe("me");
    await election.stop();
  });
});
