import "server-only";

import http from "node:http";
import https from "node:https";
import { urlToHttpOptions } from "node:url";

import type { KubeConfig } from "@kubernetes/client-node";

import type { InferenceConfig } from "./config";
import type { AllowedPath } from "./match-inference-route";

/** Everything needed to open the upstream request; built by the server, never from request input. */
export type Endpoint = {
  /** The upstream URL as node:http options (protocol, hostname, port, path). */
  target: http.RequestOptions;
  agent: http.Agent;
  /** Extra TLS and auth options (apiserver-proxy only). */
  options: https.RequestOptions;
};

export type ResolveEndpoint = (namespace: string, name: string, path: AllowedPath) => Promise<Endpoint>;

const agentOptions = { keepAlive: true, maxSockets: 1024, maxFreeSockets: 256, noDelay: true } as const;
// Bounds the per-target memo below; the proxy only resolves Workspaces that exist and are ready.
const MAX_MEMOIZED_TARGETS = 1024;

/**
 * The static and cluster-dns targets depend on nothing but the route, so each is parsed once: a URL
 * and its node:http options per request were the proxy's largest own per-request cost in a profile.
 */
function memoize(resolveUrl: (namespace: string, name: string, path: AllowedPath) => URL, agent: http.Agent) {
  const endpoints = new Map<string, Endpoint>();
  return async (namespace: string, name: string, path: AllowedPath): Promise<Endpoint> => {
    const key = `${namespace}/${name}${path}`;
    let endpoint = endpoints.get(key);
    if (!endpoint) {
      if (endpoints.size >= MAX_MEMOIZED_TARGETS) endpoints.clear();
      endpoint = { target: urlToHttpOptions(resolveUrl(namespace, name, path)), agent, options: {} };
      endpoints.set(key, endpoint);
    }
    return endpoint;
  };
}

/**
 * namespace and name arrive here already validated as DNS-1123 labels (match-inference-route), so
 * they cannot add a host, port, path segment or query to the URLs below.
 */
export function createEndpointResolver(config: InferenceConfig, kubeConfig?: () => KubeConfig): ResolveEndpoint {
  switch (config.mode) {
    case "cluster-dns":
      return memoize(
        (namespace, name, path) => new URL(`http://${name}.${namespace}.svc.cluster.local${path}`),
        new http.Agent(agentOptions),
      );
    case "static": {
      const template = config.staticUrlTemplate!;
      return memoize(
        (namespace, name, path) =>
          new URL(template.replaceAll("{namespace}", namespace).replaceAll("{name}", name).replace(/\/$/, "") + path),
        template.startsWith("https:") ? new https.Agent(agentOptions) : new http.Agent(agentOptions),
      );
    }
    case "apiserver-proxy": {
      if (!kubeConfig) throw new Error("apiserver-proxy mode needs a kubeconfig");
      let agent: http.Agent | undefined;
      return async (namespace, name, path) => {
        const kc = kubeConfig();
        const cluster = kc.getCurrentCluster();
        if (!cluster) throw new Error("The kubeconfig has no current cluster");
        // Re-read per request: exec plugins and service-account tokens rotate the bearer token.
        const auth: https.RequestOptions = {};
        await kc.applyToHTTPSOptions(auth);
        // client-node makes a fresh agent per call; one keep-alive agent avoids a TLS handshake per chat message.
        agent ??= cluster.server.startsWith("https:")
          ? new https.Agent({
              ...agentOptions,
              ca: auth.ca,
              cert: auth.cert,
              key: auth.key,
              servername: auth.servername,
              rejectUnauthorized: auth.rejectUnauthorized,
            })
          : new http.Agent(agentOptions);
        const base = cluster.server.replace(/\/$/, "");
        return {
          target: urlToHttpOptions(new URL(`${base}/api/v1/namespaces/${namespace}/services/${name}:80/proxy${path}`)),
          agent,
          options: { headers: auth.headers, auth: auth.auth },
        };
      };
    }
  }
}
