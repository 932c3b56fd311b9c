export type Result<T> =
  | { ok: true; data: T }
  | { ok: false; error: { code: string; message: string; fieldErrors?: Record<string, string[]> } };
type Action<I, T> = (input: I) => Promise<Result<T>>;

export type TokenRow = {
  id: string;
  name: string;
  prefix: string;
  ownerEmail: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
  createdAt: string;
};
export type UserRow = {
  id: string;
  email: string;
  name: string | null;
  role: "viewer" | "operator" | "admin";
  disabled: boolean;
  external: boolean;
  lockedUntil: string | null;
  lastLoginAt: string | null;
  createdAt: string;
};

export type SettingsActions = {
  createApiTokenAction: Action<unknown, { token: string; prefix: string }>;
  revokeApiTokenAction: Action<unknown, void>;
  createUserAction: Action<unknown, { id: string }>;
  updateUserAction: Action<unknown, void>;
  changePasswordAction: Action<unknown, void>;
};
