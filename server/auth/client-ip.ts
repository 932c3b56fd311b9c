import "server-only";

import type { IncomingMessage } from "node:http";
import { isIP } from "node:net";

import { z } from "zod";

import { parseEnv } from "@/server/env";

/**
 * The client address as the web server worked it out, for everything behind it (Next.js routes,
 * server actions, the node:http fast paths). The server overwrites whatever a client sent under
 * this name, so nothing downstream ever reads X-Forwarded-For itself.
 */
export const CLIENT_IP_HEADER = "x-kd-client-ip";

const schema = z.object({
  /**
   * How many reverse proxies in front of the web server append to X-Forwarded-For (an ingress
   * controller: 1; a cloud load balancer in front of it: 2). 0 trusts no header: the client is
   * the TCP peer. Counting hops from the right is the only reading a client cannot forge.
   */
  TRUSTED_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
});

let hops: number | undefined;

export function trustedProxyHops(): number {
  hops ??= parseEnv("client address", schema).TRUSTED_PROXY_HOPS;
  return hops;
}

/** Test hook: forget the parsed TRUSTED_PROXY_HOPS. */
export function resetTrustedProxyHops(): void {
  hops = undefined;
}

function normalize(address: string | undefined): string | null {
  if (!address) return null;
  const bare = address.trim().replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, "");
  return isIP(bare) ? bare : null;
}

/**
 * The client's address: the TCP peer, or, behind `trustedHops` proxies, the address that the
 * outermost trusted proxy saw — the entry `trustedHops` places from the right of
 * X-Forwarded-For. Entries further left were written by the client and are ignored; a request
 * that passed fewer proxies than configured gets the leftmost address it has.
 */
export function resolveClientIp(
  peer: string | undefined,
  forwardedFor: string | string[] | undefined,
  trustedHops: number,
): string | null {
  const chain = (Array.isArray(forwardedFor) ? forwardedFor.join(",") : (forwardedFor ?? ""))
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
  chain.push(peer ?? "");
  const steps = Math.min(trustedHops, chain.length - 1);
  // Walk left one trusted hop at a time; a malformed entry stops the walk at the last good one.
  let client = normalize(chain.at(-1));
  for (let i = 1; i <= steps; i++) {
    const next = normalize(chain.at(-1 - i));
    if (!next) break;
    client = next;
  }
  return client;
}

/** Called by the web server on every request before any handler reads it. */
export function stampClientIp(req: IncomingMessage, trustedHops = trustedProxyHops()): void {
  const ip = resolveClientIp(req.socket.remoteAddress, req.headers["x-forwarded-for"], trustedHops);
  if (ip) req.headers[CLIENT_IP_HEADER] = ip;
  else delete req.headers[CLIENT_IP_HEADER];
}
