import { FleetView } from "@/components/serving/fleet-view";
import { requirePrincipal } from "@/server/auth/require-principal";
import { isAppError } from "@/server/errors";
import { fleetInput } from "@/server/metrics/fleet-input";
import { getFleet } from "@/server/metrics/get-fleet";
import type { TimeWindow } from "@/server/metrics/time-windows";

export const metadata = { title: "Fleet · kaito-dashboard" };
export const dynamic = "force-dynamic";

type Search = Record<string, string | string[] | undefined>;

export default async function FleetPage({ searchParams }: { searchParams: Promise<Search> }) {
  const principal = await requirePrincipal("read");
  const raw = Object.fromEntries(Object.entries(await searchParams).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]));
  const parsed = fleetInput.safeParse(raw);
  const input = parsed.success ? parsed.data : fleetInput.parse({});
  const fleet = parsed.success
    ? await getFleet(principal, { period: input.period as TimeWindow, idleHours: input.idleHours }).catch(
        (error: unknown) => {
          // Prometheus absent or down: the page says so and keeps its links working.
          if (isAppError(error) && error.code === "unavailable") return error.message;
          throw error;
        },
      )
    : parsed.error.issues.map((i) => i.message).join("; ");
  return (
    <FleetView
      period={input.period as TimeWindow}
      idleHours={input.idleHours}
      fleet={typeof fleet === "string" ? null : fleet}
      problem={typeof fleet === "string" ? fleet : null}
    />
  );
}
