import "server-only";

import { AdapterError } from "./adapter-error";

// Kaito requires adapter names to be DNS-1123 subdomains: they become init-container names
// (`puller-<name>`), env var names and model ids.
const SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** The puller init container is `puller-<name>` and container names are DNS-1123 labels (≤63). */
export const MAX_ADAPTER_NAME_LENGTH = 63 - "puller-".length;

export function validateAdapterName(name: string): string {
  if (!name) throw new AdapterError("invalid_input", "Name is required", "name");
  if (name.length > MAX_ADAPTER_NAME_LENGTH) {
    throw new AdapterError(
      "invalid_input",
      `Name must be at most ${MAX_ADAPTER_NAME_LENGTH} characters (it becomes the init container puller-${name})`,
      "name",
    );
  }
  if (!SUBDOMAIN.test(name)) {
    throw new AdapterError(
      "invalid_input",
      "Name must be a DNS-1123 subdomain: lower-case letters, digits, '-' and '.', starting and ending with a letter or digit",
      "name",
    );
  }
  return name;
}
