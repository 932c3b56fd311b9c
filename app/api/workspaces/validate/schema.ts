import { z } from "zod";

export const validateQuery = z.object({
  yaml: z.string().max(8000, "Documents over 8,000 characters are validated on submit only"),
});
