import { z } from "zod";

export const attachSchema = z.object({
  namespace: z.string().min(1).max(63),
  workspace: z.string().min(1).max(253),
  strength: z.number().min(0).max(1).default(1),
  /** The Workspace's name, to attach an adapter trained on another base model. */
  override: z.string().max(253).optional(),
});

export const detachSchema = z.object({
  namespace: z.string().min(1).max(63),
  workspace: z.string().min(1).max(253),
});
