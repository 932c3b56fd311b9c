import "server-only";

import { isConflict, isNotFound, isAlreadyExists, type KubeClient } from "@/server/kube/kube-client";

import type { Logger } from "./logger";

type Lease = {
  apiVersion: "coordination.k8s.io/v1";
  kind: "Lease";
  metadata: { name: string; namespace: string; resourceVersion?: string };
  spec: {
    holderIdentity?: string;
    leaseDurationSeconds?: number;
    acquireTime?: string;
    renewTime?: string;
    leaseTransitions?: number;
  };
};

export type LeaderElection = { isLeader(): boolean; stop(): Promise<void> };

/** RFC 3339 with microseconds, the MicroTime format Lease fields require. */
function microTime(date = new Date()): string {
  return date.toISOString().replace(/(\.\d{3})Z$/, "$1000Z");
}

/**
 * client-go style leader election on a coordination.k8s.io Lease. The holder renews every
 * retry period; a candidate takes over once the lease has not changed for its duration, so a
 * killed leader is replaced within duration + one retry period. Writes carry the resourceVersion
 * they read: two candidates racing for an expired lease cannot both win.
 *
 * Expiry is judged as client-go's LeaderElector does: from the candidate's own clock at the
 * moment it last saw the lease change, never from the holder's renewTime, which another
 * machine's clock wrote. With renewTime, a holder whose clock runs ahead looks alive after it
 * died, and one whose clock runs behind looks dead while it renews: two leaders at once.
 */
export function runLeaderElection(input: {
  client: KubeClient;
  namespace: string;
  name: string;
  identity: string;
  durationSeconds: number;
  renewDeadlineSeconds: number;
  retryPeriodSeconds: number;
  log: Logger;
  onStartedLeading: () => void;
  onStoppedLeading: () => void;
  /** The local clock (tests move it by hand). */
  now?: () => number;
}): LeaderElection {
  const { client, namespace, name, identity, durationSeconds, log } = input;
  const path = `/apis/coordination.k8s.io/v1/namespaces/${namespace}/leases`;
  const retryMs = input.retryPeriodSeconds * 1000;
  let leader = false;
  let stopped = false;
  let lastRenew = 0;
  let timer: NodeJS.Timeout | undefined;
  const clock = input.now ?? Date.now;
  // The lease as last seen (its resourceVersion changes with every write) and when, locally.
  let observed: { version: string; at: number } | undefined;

  async function tryAcquireOrRenew(): Promise<boolean> {
    const now = new Date(clock());
    let lease: Lease | undefined;
    try {
      lease = await client.request<Lease>({ method: "GET", path: `${path}/${name}` });
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
    if (!lease) {
      try {
        await client.request({
          method: "POST",
          path,
          body: {
            apiVersion: "coordination.k8s.io/v1",
            kind: "Lease",
            metadata: { name, namespace },
            spec: {
              holderIdentity: identity,
              leaseDurationSeconds: durationSeconds,
              acquireTime: microTime(now),
              renewTime: microTime(now),
              leaseTransitions: 0,
            },
          },
        });
        return true;
      } catch (error) {
        if (isAlreadyExists(error)) return false;
        throw error;
      }
    }
    const holder = lease.spec.holderIdentity;
    const version = lease.metadata.resourceVersion ?? "";
    if (observed?.version !== version) observed = { version, at: now.getTime() };
    const expired = observed.at + (lease.spec.leaseDurationSeconds ?? durationSeconds) * 1000 < now.getTime();
    if (holder && holder !== identity && !expired) return false;
    const takeover = holder !== identity;
    try {
      await client.request({
        method: "PUT",
        path: `${path}/${name}`,
        body: {
          ...lease,
          spec: {
            ...lease.spec,
            holderIdentity: identity,
            leaseDurationSeconds: durationSeconds,
            renewTime: microTime(now),
            ...(takeover
              ? { acquireTime: microTime(now), leaseTransitions: (lease.spec.leaseTransitions ?? 0) + 1 }
              : {}),
          },
        },
      });
      return true;
    } catch (error) {
      if (isConflict(error)) return false;
      throw error;
    }
  }

  async function tick() {
    if (stopped) return;
    try {
      const held = await tryAcquireOrRenew();
      if (held) lastRenew = clock();
      if (held && !leader) {
        leader = true;
        log.info("became leader", { lease: `${namespace}/${name}`, identity });
        input.onStartedLeading();
      }
    } catch (error) {
      log.warn("lease renewal failed", { error });
    }
    // A leader that could not renew within the renew deadline (shorter than the lease) steps
    // down before anyone else may take over, so two leaders never overlap.
    if (leader && clock() - lastRenew > input.renewDeadlineSeconds * 1000) {
      leader = false;
      log.warn("lost leadership", { lease: `${namespace}/${name}` });
      input.onStoppedLeading();
    }
    if (!stopped) timer = setTimeout(tick, retryMs);
  }

  void tick();
  return {
    isLeader: () => leader,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      if (leader) {
        // Release at once so that a clean shutdown hands over without waiting for expiry.
        try {
          const lease = await client.request<Lease>({ method: "GET", path: `${path}/${name}` });
          if (lease.spec.holderIdentity === identity)
            await client.request({
              method: "PUT",
              path: `${path}/${name}`,
              body: { ...lease, spec: { ...lease.spec, holderIdentity: "", renewTime: microTime(new Date(0)) } },
            });
        } catch (error) {
          log.warn("could not release the lease", { error });
        }
      }
      leader = false;
    },
  };
}
