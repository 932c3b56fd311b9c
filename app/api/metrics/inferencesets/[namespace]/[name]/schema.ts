import { z } from "zod";

import { TIME_WINDOW_NAMES } from "@/server/metrics/time-windows";

export const inferenceSetMetricsQuery = z.object({
  window: z.enum(TIME_WINDOW_NAMES as [string, ...string[]], {
    error: `window must be one of ${TIME_WINDOW_NAMES.join(", ")}`,
  }),
});
