import "server-only";

import http from "node:http";
import https from "node:https";

import type { KubeConfig } from "@kubernetes/client-node";

import type { InferenceConfig } from "./config";
import type { AllowedPath } from "./match-inference-route";

/** Everything needed to open the upstream request; built by the server, never from request input. */
export type Endpoint = {
  url: URL;
  agent: http.Agent;
  /** Extra TLS and auth options (apiserver-proxy only). */
  options: https.RequestOptions;
};

export type ResolveEndpoint = (namespace: string, name: string, path: AllowedPath) => Promise<Endpoint>;

const agentOptions = { keepAlive: true, maxSockets: 1024, maxFreeSockets: 256, noDelay: true } as const;

/**
 * namespace and name arrive here already validated as DNS-1123 labels (match-inference-route), so
 * they cannot add a host, port, path segment or query to the URLs below.
 */
export function createEndpointResolver(config: InferenceConfig, kubeConfig?: () => KubeConfig): ResolveEndpoint {
  switch (config.mode) {
    case "cluster-dns": {
      const agent = new http.Agent(agentOptions);
      return async (namespace, name, path) => ({
        url: new URL(`http://${name}.${namespace}.svc.cluster.local${path}`),
        agent,
        options: {},
      });
    }
    case "static": {
      const template = config.staticUrlTemplate!;
      const agent = template.startsWith("https:") ? new https.Agent(agentOptions) : new http.Agent(agentOptions);
      return async (namespace, name, path) => ({
        url: new URL(
          template.replaceAll("{namespace}", namespace).replaceAll("{name}", name).replace(/\/$/, "") + path,
        ),
        agent,
        options: {},
      });
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
          url: new URL(`${base}/api/v1/namespaces/${namespace}/services/${name}:80/proxy${path}`),
          agent,
          options: { headers: auth.headers, auth: auth.auth },
        };
      };
    }
  }
}
