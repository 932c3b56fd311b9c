/**
 * Kubernetes' name rules (k8s.io/apimachinery IsDNS1123Label / IsDNS1123Subdomain), the one copy
 * the tree keeps. Namespaces, Workspace names and container names are labels; adapter names are
 * subdomains, because Kaito turns them into init-container names and model ids.
 *
 * The sources are written so that they compile the same with and without the `u` and `v` flags
 * (the hyphen is escaped), so a form can hand them to an HTML `pattern` attribute as they are.
 */

export const DNS_LABEL_MAX_LENGTH = 63;
export const DNS_SUBDOMAIN_MAX_LENGTH = 253;

/** One DNS-1123 label, at most 63 characters; no capture groups, so it can be embedded. */
export const DNS_LABEL_SOURCE = String.raw`[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?`;
/** Dot-separated labels; the 253-character limit is checked separately, as Kubernetes does. */
export const DNS_SUBDOMAIN_SOURCE = String.raw`[a-z0-9](?:[a-z0-9\-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9\-]*[a-z0-9])?)*`;

const DNS_LABEL = new RegExp(`^${DNS_LABEL_SOURCE}$`);
const DNS_SUBDOMAIN = new RegExp(`^${DNS_SUBDOMAIN_SOURCE}$`);

export function isDnsLabel(name: string): boolean {
  return DNS_LABEL.test(name);
}

export function isDnsSubdomain(name: string): boolean {
  return name.length <= DNS_SUBDOMAIN_MAX_LENGTH && DNS_SUBDOMAIN.test(name);
}

export const DNS_LABEL_MESSAGE = `must be a DNS-1123 label: lower-case letters, digits and '-', starting and ending with a letter or digit, at most ${DNS_LABEL_MAX_LENGTH} characters`;
export const DNS_SUBDOMAIN_MESSAGE =
  "must be a DNS-1123 subdomain: lower-case letters, digits, '-' and '.', starting and ending with a letter or digit";
