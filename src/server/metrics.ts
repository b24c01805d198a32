// What an operator sees inside a running server, in Prometheus's text format at `/metrics`: calls by tool and
// outcome and their latency, the upstream APIs' status codes, cache hits and misses, the bytes stored results
// hold, the open sessions, and Node's own process figures. One registry per server (never prom-client's global
// one), so two servers in one process (the tests) count apart. Labels are tool and API names, outcomes and status
// codes: never an argument, an answer or a user.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

export interface MetricsSources {
  /** Open MCP sessions (HTTP), read when scraped. */
  sessions(): number;
  /** Bytes held by stored results, read when scraped. */
  storedBytes(): number;
}

export class ServerMetrics {
  private readonly registry = new Registry();
  private readonly calls: Counter<"tool" | "outcome">;
  private readonly latency: Histogram<"tool">;
  private readonly upstream: Counter<"api" | "status">;
  private readonly cache: Counter<"api" | "result">;

  constructor(sources: MetricsSources) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: "mxcp_gen_" });
    this.calls = new Counter({ name: "mxcp_gen_tool_calls_total", help: "Tool calls, by tool and outcome (ok or error).", labelNames: ["tool", "outcome"], registers });
    this.latency = new Histogram({
      name: "mxcp_gen_tool_call_duration_seconds",
      help: "Time from a tool call's start to its answer, by tool.",
      labelNames: ["tool"],
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers,
    });
    this.upstream = new Counter({ name: "mxcp_gen_upstream_responses_total", help: "Answers from upstream APIs, by API and HTTP status (0: no answer).", labelNames: ["api", "status"], registers });
    this.cache = new Counter({ name: "mxcp_gen_cache_lookups_total", help: "Reads through the HTTP cache, by API and result (hit or miss).", labelNames: ["api", "result"], registers });
    new Gauge({
      name: "mxcp_gen_sessions",
      help: "Open MCP sessions.",
      registers,
      collect() {
        this.set(sources.sessions());
      },
    });
    new Gauge({
      name: "mxcp_gen_stored_result_bytes",
      help: "Bytes held by stored results (answers too large to send).",
      registers,
      collect() {
        this.set(sources.storedBytes());
      },
    });
  }

  call(tool: string, ok: boolean, seconds: number): void {
    this.calls.inc({ tool, outcome: ok ? "ok" : "error" });
    this.latency.observe({ tool }, seconds);
  }

  upstreamAnswer(api: string, status: number): void {
    this.upstream.inc({ api, status: String(status) });
  }

  cacheLookup(api: string, hit: boolean): void {
    this.cache.inc({ api, result: hit ? "hit" : "miss" });
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }
}
