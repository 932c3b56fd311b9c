import "server-only";

import { z } from "zod";

import { EMAIL_PATTERN } from "@/server/auth/config";
import { ROLES } from "@/server/auth/permissions";

export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .min(1, "Enter an email")
  .max(320, "At most 320 characters")
  .regex(EMAIL_PATTERN, "Not an email address");
export const passwordSchema = z.string().min(12, "At least 12 characters").max(200, "At most 200 characters");
export const nameSchema = z
  .string()
  .trim()
  .max(200, "At most 200 characters")
  .optional()
  .transform((v) => (v ? v : null));

export const createUserSchema = z.object({
  email: emailSchema,
  name: nameSchema,
  role: z.enum(ROLES),
  password: passwordSchema,
});

export const updateUserSchema = z.object({
  userId: z.uuid("Unknown user"),
  role: z.enum(ROLES).optional(),
  disabled: z.boolean().optional(),
  name: nameSchema,
});

export const changePasswordSchema = z.object({
  currentPassword: z.string().min(1, "Enter your current password").max(200),
  newPassword: passwordSchema,
});

/** "Sign out everywhere" takes no input; anything sent is ignored. */
export const signOutEverywhereSchema = z.object({}).loose();
