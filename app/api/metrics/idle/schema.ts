import { fleetInput } from "@/server/metrics/fleet-input";

export const idleWorkspacesQuery = fleetInput.pick({ idleHours: true });
