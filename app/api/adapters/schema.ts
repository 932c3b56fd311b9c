import { z } from "zod";

export const attachSchema = z.object({
  namespace: z.string().min(1).max(63),
  workspace: z.string().min(1).max(253),
  strength: z.number().min(0).max(1).default(1),
});

export const detachSchema = z.object({
  namespace: z.string().min(1).max(63),
  workspace: z.string().min(1).max(253),
});
