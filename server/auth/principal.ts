import "server-only";

import type { Role } from "./permissions";

/** Who is calling: a signed-in user, or a user acting through one of their API tokens. */
export type Principal = {
  userId: string;
  email: string;
  name: string | null;
  role: Role;
  /** Set when the call authenticated with a personal API token. */
  tokenId?: string;
  /** "<issuer>|<sub>" for single sign-on accounts: they act in Kubernetes under their email (server/kube/kube-identity.ts). */
  externalId?: string | null;
  /** The identity provider's groups at the last sign-in, sent to Kubernetes with the role's group. */
  oidcGroups?: readonly string[];
  /** The token's scope: `inference` tokens reach only the chat proxy and the OpenAI-compatible API. */
  tokenScope?: "inference" | "api";
};
