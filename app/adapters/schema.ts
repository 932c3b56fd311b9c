import { z } from "zod";

export const detachInput = z.object({
  adapter: z.string().min(1).max(63),
  namespace: z.string().min(1).max(63),
  workspace: z.string().min(1).max(253),
});

export const attachInput = detachInput.extend({
  strength: z.number().min(0).max(1),
  override: z.string().max(253).optional(),
});

export const deleteInput = z.object({ name: z.string().min(1).max(63) });
