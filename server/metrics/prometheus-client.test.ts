import http from "node:http";
import type { AddressInfo } from "node:net";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { AppError } from "@/server/errors";

import { createPrometheusClient } from "./prometheus-client";

// A stand-in for Prometheus's HTTP API shapes only; the real server is in the integration tests.
let answer: { status: number; body: string } = { status: 200, body: "" };
let lastQuery = "";
const server = http.createServer((req, res) => {
  let body = "";
  req.on("data", (c) => (body += c));
  req.on("end", () => {
    lastQuery = new URLSearchParams(body).get("query") ?? "";
    res.writeHead(answer.status, { "content-type": "application/json" }).end(answer.body);
  });
});
let url = "";

beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((r) => server.close(r)));

const failure = async (promise: Promise<unknown>) => {
  try {
    await promise;
  } catch (error) {
    return error as AppError;
  }
  throw new Error("expected a failure");
};

describe("Prometheus client", () => {
  it("posts the query and returns series with numeric points", async () => {
    answer = {
      status: 200,
      body: JSON.stringify({
        status: "success",
        data: {
          resultType: "matrix",
          result: [
            {
              metric: { pod: "phi-0" },
              values: [
                [1, "2.5"],
                [2, "NaN"],
              ],
            },
          ],
        },
      }),
    };
    const series = await createPrometheusClient(url, 1000).range('up{job="x"}', { start: 1, end: 2, step: 1 });
    expect(lastQuery).toBe('up{job="x"}');
    expect(series).toEqual([
      {
        labels: { pod: "phi-0" },
        points: [
          [1, 2.5],
          [2, NaN],
        ],
      },
    ]);
  });

  it("says plainly that metrics are unavailable when Prometheus is down or failing", async () => {
    const closed = await failure(createPrometheusClient("http://127.0.0.1:9", 1000).instant("up", 1));
    expect(closed).toBeInstanceOf(AppError);
    expect(closed.status).toBe(503);
    expect(closed.message).toBe("Metrics unavailable: Prometheus at http://127.0.0.1:9 did not answer.");
    answer = { status: 503, body: "Service Unavailable" };
    const failing = await failure(createPrometheusClient(url, 1000).instant("up", 1));
    expect(failing.message).toMatch(/^Metrics unavailable: Prometheus at .* answered HTTP 503\.$/);
  });
});
