// Type-only imports: erased at build time, so no server module reaches the browser bundle.
import type { ActionResult } from "@/server/actions/action-result";
import type { AuditProtection } from "@/server/db/app-role";
import type { InferenceSettings } from "@/server/settings/inference-settings";
import type { TokenView } from "@/server/tokens/manage-api-tokens";
import type { TokenPolicy } from "@/server/tokens/token-policy";
import type { UserView } from "@/server/users/manage-users";
import type { KubeAccessView } from "@/server/workspaces/workspace-access";

type Action<I, T> = (input: I) => Promise<ActionResult<T>>;

export type TokenRow = TokenView;
/** `kube`: who the user acts as in Kubernetes and where, when the cluster could be asked. */
export type UserRow = UserView & { kube?: KubeAccessView };

export type SettingsActions = {
  createApiTokenAction: Action<unknown, { token: string; prefix: string }>;
  revokeApiTokenAction: Action<unknown, void>;
  createUserAction: Action<unknown, { id: string }>;
  updateUserAction: Action<unknown, void>;
  changePasswordAction: Action<unknown, void>;
  signOutEverywhereAction: Action<unknown, void>;
  updateTokenPolicyAction: Action<unknown, TokenPolicy>;
  updateInferenceSettingsAction: Action<InferenceSettings, InferenceSettings>;
};

export type { AuditProtection, InferenceSettings, TokenPolicy };
