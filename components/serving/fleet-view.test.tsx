import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";

import type { FleetView as Fleet } from "@/server/metrics/get-fleet";

import { FleetView } from "./fleet-view";

const fleet = (recordedAt: number | null): Fleet => ({
  rows: [],
  byNamespace: [],
  byModel: [],
  totals: { gpus: 0, gpuHours: 0, costUsd: 0, outputTokens: 0, idleGpus: 0 },
  slowest: [],
  busiest: [],
  period: "7d",
  idleHours: 24,
  at: 1_796_572_800,
  queries: { gpus: "", gpuUtil: "", gpuHours: "", outputTokens: "", requests: "", ttftP95: "", recentRequests: "" },
  recordedAt,
});

describe("the fleet page", () => {
  it("says when figures read from the recording rules end", () => {
    // 2026-12-06 14:17:03 UTC
    const html = renderToStaticMarkup(
      <FleetView period="7d" idleHours={24} fleet={fleet(1_796_566_623)} problem={null} />,
    );
    expect(html).toContain("over 7d end at 14:17 UTC, the last hourly evaluation of the fleet&#x27;s recording rules");
  });

  it("says nothing of the kind when every figure comes from raw series", () => {
    const html = renderToStaticMarkup(<FleetView period="7d" idleHours={24} fleet={fleet(null)} problem={null} />);
    expect(html).not.toContain("hourly evaluation");
    expect(html).toContain("GPUs allocated");
  });
});
