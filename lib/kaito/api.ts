/**
 * The API names Kaito users and tools already know (docs/kaito-api.md §1–§3): group, versions,
 * kinds, the NodeClaim kinds the node provisioner serves, the finalizer. Nothing else in the tree
 * spells these as string literals, because a typo would silently break `kubectl get wk` or
 * upstream tooling. This folder is isomorphic: the server and the browser both import it, so
 * nothing here may import a server module.
 */

export const KAITO_GROUP = "kaito.sh";
export const WORKSPACE_VERSION = "v1beta1";
export const WORKSPACE_VERSIONS = ["v1alpha1", "v1beta1"] as const;
export const WORKSPACE_KIND = "Workspace";
export const WORKSPACE_PLURAL = "workspaces";
export const WORKSPACE_API_VERSION = `${KAITO_GROUP}/${WORKSPACE_VERSION}`;

export const KARPENTER_GROUP = "karpenter.sh";
export const NODECLAIM_VERSION = "v1";
export const NODECLAIM_KIND = "NodeClaim";
export const NODECLAIM_PLURAL = "nodeclaims";
export const NODECLAIM_API_VERSION = `${KARPENTER_GROUP}/${NODECLAIM_VERSION}`;
export const KAITO_NODECLASS_KIND = "KaitoNodeClass";
export const KAITO_NODECLASS_NAME = "default";
export const KAITO_NODEPOOL = "kaito";

export const WORKSPACE_FINALIZER = "workspace.finalizer.kaito.sh";

/** Ours: the server-side-apply field manager of every write the dashboard and its controller make. */
export const FIELD_MANAGER = "kaito-dashboard";
