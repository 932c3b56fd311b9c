import { describe, expect, it } from "vitest";

import { buildFleet } from "./build-fleet";
import { fleetCsv } from "./fleet-csv";
import type { Series } from "./prometheus-client";

const s = (labels: Record<string, string>, v: number): Series => ({ labels, points: [[1, v]] });
const workspaces = [
  { namespace: "team-a", name: "phi", model: "phi-3-mini-4k-instruct", instanceType: "Standard_NC12s_v3" },
  { namespace: "team-a", name: "phi-x", model: "phi-3-mini-4k-instruct", instanceType: "Standard_NC6s_v3" },
  { namespace: "team-b", name: "llama", model: "llama-3.1-8b-instruct", instanceType: "Standard_NC24ads_A100_v4" },
];
const results = {
  gpus: [
    s({ namespace: "team-a", pod: "phi-0" }, 2),
    s({ namespace: "team-a", pod: "phi-x-0" }, 1),
    s({ namespace: "team-b", pod: "llama-0" }, 1),
  ],
  gpuUtil: [s({ namespace: "team-a", pod: "phi-0" }, 50), s({ namespace: "team-b", pod: "llama-0" }, 0)],
  gpuHours: [
    s({ namespace: "team-a", pod: "phi-0" }, 48),
    s({ namespace: "team-a", pod: "phi-x-0" }, 24),
    s({ namespace: "team-b", pod: "llama-0" }, 24),
  ],
  outputTokens: [s({ namespace: "team-a", workspace: "phi" }, 2_000_000)],
  requests: [s({ namespace: "team-a", workspace: "phi" }, 900), s({ namespace: "team-a", workspace: "phi-x" }, 10)],
  ttftP95: [s({ namespace: "team-a", workspace: "phi" }, 0.4), s({ namespace: "team-a", workspace: "phi-x" }, NaN)],
  recentRequests: [s({ namespace: "team-a", workspace: "phi" }, 12), s({ namespace: "team-a", workspace: "phi-x" }, 3)],
};
const prices = { Standard_NC12s_v3: 6.12, Standard_NC6s_v3: 3.06, Standard_NC24ads_A100_v4: 3.67 };

describe("buildFleet", () => {
  const fleet = buildFleet(workspaces, results, prices);
  const phi = fleet.rows[0];

  it("gives each Workspace its own pods' GPUs only (phi-x-0 is not phi's)", () => {
    expect(fleet.rows.map((r) => r.gpus)).toEqual([2, 1, 1]);
    expect(phi.gpuHours).toBe(48);
  });

  it("prices GPU-hours per GPU of the instance and divides by the output tokens", () => {
    // NC12s_v3: $6.12 an hour for 2 GPUs → 48 GPU-hours = $146.88; 2M tokens → $73.44 per 1M.
    expect(phi.costUsd).toBeCloseTo(146.88);
    expect(phi.costPerMillionOutputTokens).toBeCloseTo(73.44);
    expect(fleet.rows[1].costPerMillionOutputTokens).toBeNull();
  });

  it("flags a Workspace holding GPUs without requests in the idle window", () => {
    expect(fleet.rows.map((r) => r.idle)).toEqual([false, false, true]);
    expect(fleet.totals.idleGpus).toBe(1);
  });

  it("groups by namespace and model, and ranks the slowest by TTFT p95 and the busiest", () => {
    expect(fleet.byNamespace.map((g) => [g.key, g.gpus])).toEqual([
      ["team-a", 3],
      ["team-b", 1],
    ]);
    expect(fleet.byModel[0]).toMatchObject({ key: "phi-3-mini-4k-instruct", workspaces: 2, gpus: 3, gpuUtil: 50 });
    expect(fleet.slowest.map((r) => r.name)).toEqual(["phi"]);
    expect(fleet.busiest.map((r) => r.name)).toEqual(["phi", "phi-x"]);
  });

  it("exports one CSV row per Workspace", () => {
    const csv = fleetCsv(fleet.rows).split("\r\n");
    expect(csv[0]).toBe(
      "namespace,workspace,model,instance_type,gpus,gpu_util_percent,gpu_hours,cost_usd,output_tokens,cost_per_1m_output_tokens_usd,requests,ttft_p95_seconds,idle",
    );
    expect(csv[1]).toBe(
      "team-a,phi,phi-3-mini-4k-instruct,Standard_NC12s_v3,2,50,48,146.88,2000000,73.44,900,0.4,false",
    );
    expect(csv[3]).toBe("team-b,llama,llama-3.1-8b-instruct,Standard_NC24ads_A100_v4,1,0,24,88.08,0,,0,,true");
  });
});
