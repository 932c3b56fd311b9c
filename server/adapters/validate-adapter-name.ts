import "server-only";

import { DNS_LABEL_MAX_LENGTH, DNS_SUBDOMAIN_MESSAGE, isDnsSubdomain } from "@/lib/kaito/names";

import { AdapterError } from "./adapter-error";

/** The puller init container is `puller-<name>` and container names are DNS-1123 labels (≤63). */
export const MAX_ADAPTER_NAME_LENGTH = DNS_LABEL_MAX_LENGTH - "puller-".length;

export function validateAdapterName(name: string): string {
  if (!name) throw new AdapterError("invalid_input", "Name is required", "name");
  if (name.length > MAX_ADAPTER_NAME_LENGTH) {
    throw new AdapterError(
      "invalid_input",
      `Name must be at most ${MAX_ADAPTER_NAME_LENGTH} characters (it becomes the init container puller-${name})`,
      "name",
    );
  }
  // Kaito requires adapter names to be DNS-1123 subdomains: they become init-container names
  // (`puller-<name>`), env var names and model ids.
  if (!isDnsSubdomain(name)) throw new AdapterError("invalid_input", `Name ${DNS_SUBDOMAIN_MESSAGE}`, "name");
  return name;
}
