import { z } from "zod";

import { TIME_WINDOW_NAMES } from "./time-windows";

/** The fleet's query string, shared by the page and its export route. */
export const fleetInput = z.object({
  period: z
    .enum(TIME_WINDOW_NAMES as [string, ...string[]], {
      error: `period must be one of ${TIME_WINDOW_NAMES.join(", ")}`,
    })
    .default("24h"),
  idleHours: z.coerce
    .number({ error: "idleHours must be a whole number of hours" })
    .int("idleHours must be a whole number of hours")
    .min(1, "idleHours must be between 1 and 168")
    .max(168, "idleHours must be between 1 and 168")
    .default(24),
});
