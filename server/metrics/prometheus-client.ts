import "server-only";

import { AppError } from "@/server/errors";

import { readMetricsConfig } from "./config";

export type Sample = [seconds: number, value: number];
export type Series = { labels: Record<string, string>; points: Sample[] };
export type PrometheusClient = {
  /** Where the figures come from, for the views ("Prometheus at …"). */
  readonly url: string;
  range(promql: string, range: { start: number; end: number; step: number }): Promise<Series[]>;
  instant(promql: string, time: number): Promise<Series[]>;
};

type ApiAnswer = {
  status: "success" | "error";
  error?: string;
  data?: {
    resultType: string;
    result: { metric: Record<string, string>; values?: [number, string][]; value?: [number, string] }[];
  };
};

export const METRICS_UNAVAILABLE = "Metrics unavailable";

/** The PromQL HTTP API (`/api/v1/query`, `/api/v1/query_range`), POSTed so long queries fit. */
export function createPrometheusClient(url: string, timeoutMs: number): PrometheusClient {
  async function call(path: string, params: Record<string, string>): Promise<Series[]> {
    let response: Response;
    try {
      response = await fetch(`${url}${path}`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams(params),
        signal: AbortSignal.timeout(timeoutMs),
        cache: "no-store",
      });
    } catch (error) {
      throw new AppError("unavailable", `${METRICS_UNAVAILABLE}: Prometheus at ${url} did not answer.`, {
        cause: error,
      });
    }
    const answer = (await response.json().catch(() => null)) as ApiAnswer | null;
    if (!answer || (response.status >= 500 && answer.status !== "success"))
      throw new AppError(
        "unavailable",
        `${METRICS_UNAVAILABLE}: Prometheus at ${url} answered HTTP ${response.status}.`,
      );
    // Our queries are fixed templates: Prometheus refusing one is our defect, not the user's.
    if (answer.status !== "success" || !answer.data)
      throw new AppError("internal", `Prometheus refused a query: ${answer.error ?? response.status}`);
    return answer.data.result.map((r) => ({
      labels: r.metric,
      points: (r.values ?? (r.value ? [r.value] : [])).map(([t, v]) => [t, Number(v)] as Sample),
    }));
  }
  return {
    url,
    range: (query, { start, end, step }) =>
      call("/api/v1/query_range", { query, start: String(start), end: String(end), step: String(step) }),
    instant: (query, time) => call("/api/v1/query", { query, time: String(time) }),
  };
}

/** The configured Prometheus, or a clear "metrics unavailable" when there is none. */
export function getPrometheusClient(): PrometheusClient {
  const { prometheusUrl, timeoutMs } = readMetricsConfig();
  if (!prometheusUrl)
    throw new AppError("unavailable", `${METRICS_UNAVAILABLE}: no Prometheus is configured (PROMETHEUS_URL).`);
  return createPrometheusClient(prometheusUrl, timeoutMs);
}
