import { z } from "zod";

import { fleetInput } from "@/server/metrics/fleet-input";

export const fleetExportQuery = fleetInput.extend({
  format: z.enum(["csv", "json"], { error: "format must be csv or json" }).default("csv"),
});
