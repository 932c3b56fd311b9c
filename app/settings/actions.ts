"use server";

import { defineAction } from "@/server/actions/define-action";
import { loadInferenceConfig } from "@/server/inference/config";
import {
  inferenceSettingsSchema,
  RECORD_CONTENT_KEY,
  updateInferenceSettings,
} from "@/server/settings/inference-settings";
import {
  createApiToken,
  createTokenSchema,
  revokeApiToken,
  revokeTokenSchema,
} from "@/server/tokens/manage-api-tokens";
import { tokenPolicySchema, TOKEN_MAX_DAYS_KEY, updateTokenPolicy } from "@/server/tokens/token-policy";
import { changeOwnPassword, createUser, signOutEverywhere, updateUser } from "@/server/users/manage-users";
import {
  changePasswordSchema,
  createUserSchema,
  signOutEverywhereSchema,
  updateUserSchema,
} from "@/server/users/user-schemas";

export const createUserAction = defineAction({
  action: "user.create",
  permission: "admin",
  schema: createUserSchema,
  transactional: true,
  target: (i) => ({ kind: "User", name: i.email }),
  run: createUser,
});

export const updateUserAction = defineAction({
  action: "user.update",
  permission: "admin",
  schema: updateUserSchema,
  transactional: true,
  run: updateUser,
});

export const changePasswordAction = defineAction({
  action: "user.change-password",
  permission: "read",
  schema: changePasswordSchema,
  transactional: true,
  run: changeOwnPassword,
});

export const signOutEverywhereAction = defineAction({
  action: "user.sign-out-everywhere",
  permission: "read",
  schema: signOutEverywhereSchema,
  transactional: true,
  run: signOutEverywhere,
});

export const updateTokenPolicyAction = defineAction({
  action: "settings.update",
  permission: "admin",
  schema: tokenPolicySchema,
  transactional: true,
  target: () => ({ kind: "Setting", name: TOKEN_MAX_DAYS_KEY }),
  run: updateTokenPolicy,
});

export const createApiTokenAction = defineAction({
  action: "token.create",
  permission: "read",
  schema: createTokenSchema,
  transactional: true,
  run: createApiToken,
});

export const revokeApiTokenAction = defineAction({
  action: "token.revoke",
  permission: "read",
  schema: revokeTokenSchema,
  transactional: true,
  run: revokeApiToken,
});

export const updateInferenceSettingsAction = defineAction({
  action: "settings.update",
  permission: "admin",
  schema: inferenceSettingsSchema,
  transactional: true,
  target: () => ({ kind: "Setting", name: RECORD_CONTENT_KEY }),
  run: (input, ctx) => updateInferenceSettings(input, ctx, loadInferenceConfig().recordContent),
});
