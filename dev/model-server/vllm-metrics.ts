import { Counter, Gauge, Histogram, Registry } from "prom-client";

/**
 * The Prometheus series one vLLM server exposes on /metrics, with vLLM's names, types, labels and
 * bucket bounds (vllm/v1/metrics/loggers.py, PrometheusStatLogger). Every series carries
 * `model_name` (the served base model: vLLM does not label by LoRA adapter) and `engine` ("0" for
 * one engine core); the adapters in use appear in `vllm:lora_requests_info`, as in vLLM.
 *
 * The figures come from the requests the double really serves: a request is waiting until the
 * double's queue gives it a slot, running until its last token, and its tokens occupy the KV cache
 * meanwhile. `vllm:gpu_cache_usage_perc` (deprecated in vLLM 0.9, removed later) is not exposed.
 */

const TTFT_BUCKETS = [
  0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0, 20.0, 40.0, 80.0, 160.0,
  640.0, 2560.0,
];
const TPOT_BUCKETS = [
  0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0, 20.0, 40.0, 80.0,
];
const REQUEST_LATENCY_BUCKETS = [
  0.3, 0.5, 0.8, 1.0, 1.5, 2.0, 2.5, 5.0, 10.0, 15.0, 20.0, 30.0, 40.0, 50.0, 60.0, 120.0, 240.0, 480.0, 960.0, 1920.0,
  7680.0,
];
/** vLLM's FinishReason values; every one is exposed from the start, at zero. */
export const FINISHED_REASONS = ["stop", "length", "abort"] as const;
export type FinishedReason = (typeof FINISHED_REASONS)[number];

/** vLLM's build_1_2_5_buckets(max_model_len). */
function oneTwoFiveBuckets(max: number): number[] {
  const buckets: number[] = [];
  for (let exponent = 0; ; exponent++)
    for (const mantissa of [1, 2, 5]) {
      const value = mantissa * 10 ** exponent;
      if (value > max) return buckets;
      buckets.push(value);
    }
}

export type VllmMetricsOptions = {
  /** The served model name (`--served-model-name`), the value of every series' model_name. */
  modelName: string;
  /** KV cache size in tokens; usage is the tokens held by running requests over this. */
  kvCacheTokens: number;
  maxModelLen: number;
  /** LoRA adapters the server was started with; without any, vLLM has no lora_requests_info. */
  adapters: readonly string[];
};

type Tracked = {
  adapter: string | null;
  promptTokens: number;
  generated: number;
  arrivedAt: number;
  lastTokenAt: number;
};

/** One request's life as vLLM's scheduler and output processor record it. */
export type RequestRecorder = {
  /** The queue gave it a slot: waiting → running, its prompt now holds KV cache. */
  start(): void;
  /**
   * Tokens produced since the last call. The first token ends the prefill and gives the time to
   * first token (from arrival, queueing included, as vLLM measures it); it is counted alone.
   */
  tokens(count: number): void;
  finish(reason: FinishedReason): void;
  /** The double refused it (its queue was full): vLLM queues without bound, so it leaves no trace. */
  drop(): void;
};

export class VllmMetrics {
  readonly registry = new Registry();
  private readonly waiting = new Set<Tracked>();
  private readonly running = new Set<Tracked>();
  private readonly labels: { model_name: string; engine: string };
  private readonly promptTokens: Counter;
  private readonly generationTokens: Counter;
  private readonly success: Counter;
  private readonly ttft: Histogram;
  private readonly tpot: Histogram;
  private readonly e2e: Histogram;
  private readonly queueTime: Histogram;
  private readonly requestPromptTokens: Histogram;
  private readonly requestGenerationTokens: Histogram;

  constructor(readonly options: VllmMetricsOptions) {
    const labelNames = ["model_name", "engine"];
    const registers = [this.registry];
    this.labels = { model_name: options.modelName, engine: "0" };
    const gauge = (name: string, help: string, value: () => number) =>
      new Gauge({
        name,
        help,
        labelNames,
        registers,
        collect: () => void gaugeSet(name, value()),
      });
    const gauges = new Map<string, Gauge>();
    const gaugeSet = (name: string, value: number) => gauges.get(name)!.set(this.labels, value);
    for (const [name, help, value] of [
      ["vllm:num_requests_running", "Number of requests in model execution batches.", () => this.running.size],
      ["vllm:num_requests_waiting", "Number of requests waiting to be processed.", () => this.waiting.size],
      ["vllm:kv_cache_usage_perc", "KV-cache usage. 1 means 100 percent usage.", () => this.kvCacheUsage()],
    ] as const)
      gauges.set(name, gauge(name, help, value));

    const counter = (name: string, help: string, extra: string[] = []) =>
      new Counter({ name, help, labelNames: [...labelNames, ...extra], registers });
    this.promptTokens = counter("vllm:prompt_tokens_total", "Number of prefill tokens processed.");
    this.generationTokens = counter("vllm:generation_tokens_total", "Number of generation tokens processed.");
    this.success = counter("vllm:request_success_total", "Count of successfully processed requests.", [
      "finished_reason",
    ]);
    const histogram = (name: string, help: string, buckets: number[]) =>
      new Histogram({ name, help, labelNames, buckets, registers });
    this.ttft = histogram(
      "vllm:time_to_first_token_seconds",
      "Histogram of time to first token in seconds.",
      TTFT_BUCKETS,
    );
    this.tpot = histogram(
      "vllm:time_per_output_token_seconds",
      "Histogram of time per output token in seconds.",
      TPOT_BUCKETS,
    );
    this.e2e = histogram(
      "vllm:e2e_request_latency_seconds",
      "Histogram of e2e request latency in seconds.",
      REQUEST_LATENCY_BUCKETS,
    );
    this.queueTime = histogram(
      "vllm:request_queue_time_seconds",
      "Histogram of time spent in WAITING phase for request.",
      REQUEST_LATENCY_BUCKETS,
    );
    const lengths = oneTwoFiveBuckets(options.maxModelLen);
    this.requestPromptTokens = histogram("vllm:request_prompt_tokens", "Number of prefill tokens processed.", lengths);
    this.requestGenerationTokens = histogram(
      "vllm:request_generation_tokens",
      "Number of generation tokens processed.",
      lengths,
    );

    // Counters and histograms exist from the start, as prometheus_client creates a labelled child
    // when vLLM calls .labels() in its constructor: a fresh server reports zeros, not nothing.
    for (const counter of [this.promptTokens, this.generationTokens]) counter.inc(this.labels, 0);
    for (const reason of FINISHED_REASONS) this.success.inc({ ...this.labels, finished_reason: reason }, 0);
    for (const histogram of [
      this.ttft,
      this.tpot,
      this.e2e,
      this.queueTime,
      this.requestPromptTokens,
      this.requestGenerationTokens,
    ])
      histogram.zero(this.labels);

    if (options.adapters.length > 0) {
      const info = new Gauge({
        name: "vllm:lora_requests_info",
        help: "Running stats on lora requests.",
        labelNames: ["max_lora", "waiting_lora_adapters", "running_lora_adapters"],
        registers,
        collect: () => {
          // One series: the adapters of the requests waiting and running now, set to the current time.
          info.reset();
          info.set(
            {
              max_lora: String(options.adapters.length),
              waiting_lora_adapters: adapterList(this.waiting),
              running_lora_adapters: adapterList(this.running),
            },
            Date.now() / 1000,
          );
        },
      });
    }
  }

  get runningCount(): number {
    return this.running.size;
  }

  get waitingCount(): number {
    return this.waiting.size;
  }

  kvCacheUsage(): number {
    let held = 0;
    for (const r of this.running) held += r.promptTokens + r.generated;
    return Math.min(1, held / this.options.kvCacheTokens);
  }

  /** A request arrived and waits for the scheduler; `adapter` is null for the base model. */
  arrive(adapter: string | null, promptTokens: number, now = Date.now): RequestRecorder {
    const request: Tracked = { adapter, promptTokens, generated: 0, arrivedAt: now(), lastTokenAt: 0 };
    this.waiting.add(request);
    return {
      start: () => {
        if (!this.waiting.delete(request)) return;
        this.running.add(request);
        this.queueTime.observe(this.labels, (now() - request.arrivedAt) / 1000);
      },
      tokens: (count) => {
        if (count <= 0 || !this.running.has(request)) return;
        const at = now();
        if (request.generated === 0) {
          this.promptTokens.inc(this.labels, request.promptTokens);
          this.ttft.observe(this.labels, (at - request.arrivedAt) / 1000);
          count--;
          request.generated = 1;
          this.generationTokens.inc(this.labels, 1);
        } else {
          // Several tokens at once (an unstreamed answer) count as evenly spaced.
          for (let i = 0; i < count; i++) this.tpot.observe(this.labels, (at - request.lastTokenAt) / 1000 / count);
        }
        request.generated += count;
        request.lastTokenAt = at;
        if (count > 0) this.generationTokens.inc(this.labels, count);
      },
      finish: (reason) => {
        const wasTracked = this.waiting.delete(request) || this.running.delete(request);
        if (!wasTracked) return;
        this.success.inc({ ...this.labels, finished_reason: reason });
        this.e2e.observe(this.labels, (now() - request.arrivedAt) / 1000);
        this.requestPromptTokens.observe(this.labels, request.promptTokens);
        this.requestGenerationTokens.observe(this.labels, request.generated);
      },
      drop: () => {
        this.waiting.delete(request);
        this.running.delete(request);
      },
    };
  }

  render(): Promise<string> {
    return this.registry.metrics();
  }
}

function adapterList(requests: Set<Tracked>): string {
  return [...new Set([...requests].map((r) => r.adapter).filter((a): a is string => a !== null))].join(",");
}
