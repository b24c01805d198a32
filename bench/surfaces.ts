// Issue 14's figures: tools/list size per surface, search latency and index build time, start-up under the
// default surface, run_code's overhead over a direct call, and search quality (top-1, top-5 by query style);
// issue 15's: a cached read against an uncached one, and the bytes a 5 MB list costs the client.
// The project host is imported from dist/ (as users run it): handlers loaded in process import the built runtime.
import { execFile } from "node:child_process";
import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { promisify } from "node:util";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import { generateOpenApiProject } from "../dist/src/pipeline/openapi.js";
import { ProjectHost } from "../dist/src/server/host.js";
import { McpCatalog } from "../dist/src/server/mcp/mcp-server.js";
import { SEARCH_CASES } from "../test/surfaces/search-queries.js";
import { itemApi } from "./item-api.js";

const run = promisify(execFile);

export interface BenchContext {
  root: string;
  cli: string;
  runs: number;
  temp(prefix: string): string;
  row(what: string, value: string, note?: string): void;
  median(xs: number[]): number;
  percentile(xs: number[], p: number): number;
}

async function listBytes(ctx: BenchContext, dir: string, expose: string): Promise<{ bytes: number; tools: number; ms: number }> {
  const t0 = performance.now();
  const client = new Client({ name: "bench", version: "1" });
  await client.connect(new StdioClientTransport({ command: process.execPath, args: [ctx.cli, "serve", "--transport", "stdio", "--expose", expose], cwd: dir, env: { PATH: process.env.PATH ?? "", MXCP_CONFIG: "/nonexistent" }, stderr: "ignore" }));
  const list = await client.listTools();
  const ms = performance.now() - t0;
  await client.close();
  return { bytes: Buffer.byteLength(JSON.stringify(list)), tools: list.tools.length, ms };
}

export async function surfaces(ctx: BenchContext, github: string | undefined): Promise<void> {
  const githubDir = github ?? ctx.temp("github");
  if (!github) await generateOpenApiProject(join(ctx.root, "node_modules/@octokit/openapi/generated/api.github.com.json"), { out: githubDir, name: "github" });
  const stripeDir = ctx.temp("stripe-wrap");
  mkdirSync(join(stripeDir, "node_modules"));
  symlinkSync(join(ctx.root, "node_modules", "stripe"), join(stripeDir, "node_modules", "stripe"));
  writeFileSync(join(stripeDir, "package.json"), '{"type":"module"}');
  await run(process.execPath, [ctx.cli, "wrap", "stripe"], { cwd: stripeDir, maxBuffer: 64 * 1024 * 1024 });

  for (const [name, dir] of [["GitHub (openapi)", githubDir], ["Stripe (wrap stripe)", stripeDir]] as const) {
    const sizes: string[] = [];
    for (const expose of ["all", "search", "code"]) {
      const r = await listBytes(ctx, dir, expose);
      sizes.push(`${expose} ${r.bytes >= 1e6 ? `${(r.bytes / 1e6).toFixed(2)} MB` : `${(r.bytes / 1024).toFixed(1)} KB`}`);
      if (expose === "all") sizes[sizes.length - 1] += ` (${r.tools} tools)`;
    }
    ctx.row(`tools/list size, ${name}`, sizes.join("; "), name.startsWith("GitHub") ? "target: search ≤ 8 KB" : "");
  }
  await listBytes(ctx, githubDir, "auto"); // warm the YAML cache
  const starts: number[] = [];
  for (let i = 0; i < Math.max(3, ctx.runs); i++) starts.push((await listBytes(ctx, githubDir, "auto")).ms);
  ctx.row("start-up to tools/list, GitHub, default surface", `${ctx.median(starts).toFixed(0)} ms`, "warm; target < 1 s");

  const host = ProjectHost.load({ cwd: githubDir, lazyHandlers: true, env: { MXCP_CONFIG: "/nonexistent" } });
  const catalog = new McpCatalog(host, { surface: "search" });
  const backend = { callTool: async () => ({ content: [] }), callForCode: async () => null, sql: async () => [] };
  const queries = Object.values(SEARCH_CASES).flat().map((c) => c.query);
  const times: number[] = [];
  for (let round = 0; round < 5; round++) {
    for (const q of queries) {
      const t0 = performance.now();
      await catalog.surfaces.call("search_tools", { query: q, limit: 8 }, backend);
      times.push(performance.now() - t0);
    }
  }
  const buildMs = catalog.surfaces.indexMs ?? 0; // built by the first search
  ctx.row(`search_tools over ${catalog.toolCount} tools`, `p50 ${ctx.median(times).toFixed(2)} ms, p99 ${ctx.percentile(times, 0.99).toFixed(2)} ms`, `${times.length} queries; index built in ${buildMs.toFixed(0)} ms, after the first listing`);

  await runCodeOverhead(ctx);
  await searchQuality(ctx);
}

async function runCodeOverhead(ctx: BenchContext): Promise<void> {
  const dir = ctx.temp("runcode");
  const { server: api } = await itemApi(ctx.cli, dir);
  const connect = async (expose: string) => {
    const client = new Client({ name: "bench", version: "1" });
    await client.connect(new StdioClientTransport({ command: process.execPath, args: [ctx.cli, "serve", "--transport", "stdio", "--expose", expose], cwd: dir, env: { PATH: process.env.PATH ?? "", MXCP_CONFIG: "/nonexistent" }, stderr: "ignore" }));
    return client;
  };
  const measure = async (f: (i: number) => Promise<unknown>) => {
    for (let i = 0; i < 30; i++) await f(i);
    const times: number[] = [];
    for (let i = 0; i < 200; i++) {
      const t0 = performance.now();
      await f(i);
      times.push(performance.now() - t0);
    }
    return ctx.median(times);
  };
  const all = await connect("all");
  const direct = await measure((i) => all.callTool({ name: "bench_get_item", arguments: { id: i } }));
  await all.close();
  const code = await connect("code");
  const viaCode = await measure((i) => code.callTool({ name: "run_code", arguments: { code: `await tools.bench_get_item({ id: ${i} })` } }));
  await code.close();
  api.close();
  ctx.row("run_code with one tool call, over a direct call", `+${(viaCode - direct).toFixed(2)} ms median`, `direct ${direct.toFixed(2)} ms, run_code ${viaCode.toFixed(2)} ms; target ≤ +5 ms`);
}

async function searchQuality(ctx: BenchContext): Promise<void> {
  const SPECS: Record<string, string> = { box: "box.json", twilio_verify_v2: "twilio_verify_v2.json", blockfrost: "blockfrost.yaml", figma: "figma.yaml" };
  const backend = { callTool: async () => ({ content: [] }), callForCode: async () => null, sql: async () => [] };
  const tally = { model: { n: 0, top1: 0, top5: 0 }, person: { n: 0, top1: 0, top5: 0 } };
  for (const [api, cases] of Object.entries(SEARCH_CASES)) {
    const out = ctx.temp(`search-${api}`);
    await generateOpenApiProject(join(ctx.root, "specs", SPECS[api]!), { out, name: api });
    const catalog = new McpCatalog(ProjectHost.load({ cwd: out, lazyHandlers: true, env: { MXCP_CONFIG: "/nonexistent" } }), { surface: "search" });
    for (const c of cases) {
      const r = await catalog.surfaces.call("search_tools", { query: c.query, limit: 5 }, backend);
      const names = ((r.structuredContent as { results: { name: string }[] }).results ?? []).map((x) => x.name);
      const rank = names.findIndex((n) => c.answers.includes(n));
      const t = tally[c.style];
      t.n++;
      if (rank === 0) t.top1++;
      if (rank >= 0 && rank < 5) t.top5++;
    }
  }
  for (const style of ["model", "person"] as const) {
    const t = tally[style];
    ctx.row(`search quality, ${style}-style queries (${t.n})`, `top-1 ${((t.top1 / t.n) * 100).toFixed(0)}%, top-5 ${((t.top5 / t.n) * 100).toFixed(0)}%`, style === "model" ? "test fails below 90% top-5" : "");
  }
}

/** Issue 15's figures: a cached read against an uncached one, and the bytes a 5 MB list costs the client. */
export async function apiAndDatabase(ctx: BenchContext): Promise<void> {
  const big = JSON.stringify(Array.from({ length: 40_000 }, (_, i) => ({ id: i, team: `t${i % 7}`, score: i % 100, note: "x".repeat(80) })));
  const api = createServer((req, res) => {
    // A little latency, as a real API has; the cache saves it.
    setTimeout(() => res.writeHead(200, { "content-type": "application/json" }).end(req.url === "/big" ? big : JSON.stringify({ id: 1, name: "item" })), 20);
  });
  await new Promise<void>((r) => api.listen(0, "127.0.0.1", r));
  const base = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
  const spec = {
    openapi: "3.0.3",
    info: { title: "Bench", version: "1" },
    servers: [{ url: base }],
    paths: {
      "/item": { get: { operationId: "getItem", responses: { "200": { description: "ok", content: { "application/json": { schema: { type: "object" } } } } } } },
      "/big": { get: { operationId: "getBig", responses: { "200": { description: "ok", content: { "application/json": { schema: { type: "array", items: { type: "object" } } } } } } } },
    },
  };
  const medianCall = async (dir: string, args: string[], tool: string, runs: number) => {
    const client = new Client({ name: "bench", version: "1" });
    await client.connect(new StdioClientTransport({ command: process.execPath, args: [ctx.cli, "serve", "--transport", "stdio", ...args], cwd: dir, env: { PATH: process.env.PATH ?? "", MXCP_CONFIG: "/nonexistent" }, stderr: "ignore" }));
    await client.callTool({ name: tool, arguments: {} });
    const times: number[] = [];
    let bytes = 0;
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      const r = await client.callTool({ name: tool, arguments: {} });
      times.push(performance.now() - t0);
      bytes = Buffer.byteLength(JSON.stringify(r));
    }
    await client.close();
    return { ms: ctx.median(times), bytes };
  };
  const plain = ctx.temp("uncached");
  writeFileSync(join(plain, "spec.json"), JSON.stringify(spec));
  await run(process.execPath, [ctx.cli, "openapi", "spec.json", "--name", "bench"], { cwd: plain });
  const cached = ctx.temp("cached");
  writeFileSync(join(cached, "spec.json"), JSON.stringify(spec));
  await run(process.execPath, [ctx.cli, "openapi", "spec.json", "--name", "bench", "--cache", "10m"], { cwd: cached });
  const without = await medianCall(plain, [], "bench_get_item", 100);
  const withCache = await medianCall(cached, [], "bench_get_item", 100);
  ctx.row("read through the cache (hit) vs uncached", `${withCache.ms.toFixed(2)} ms vs ${without.ms.toFixed(2)} ms median`, "upstream answers after 20 ms");
  // In process, over an in-memory transport: the SDK's stdio client closes the connection on a 5 MB message.
  const host = ProjectHost.load({ cwd: plain, env: { MXCP_CONFIG: "/nonexistent" }, log: () => {} });
  await host.start();
  const bytesVia = async (options: ConstructorParameters<typeof McpCatalog>[1]) => {
    const catalog = new McpCatalog(host, options);
    const [a, b] = InMemoryTransport.createLinkedPair();
    await catalog.createServer({ session: "bench" }).connect(b);
    const client = new Client({ name: "bench", version: "1" });
    await client.connect(a);
    const t0 = performance.now();
    const r = await client.callTool({ name: "bench_get_big", arguments: {} });
    const ms = performance.now() - t0;
    await client.close();
    await catalog.close();
    if (r.isError) throw new Error(`bench_get_big failed: ${JSON.stringify(r.content).slice(0, 300)}`);
    return { bytes: Buffer.byteLength(JSON.stringify(r)), ms };
  };
  const stored = await bytesVia({});
  const sent = await bytesVia({ results: { thresholdBytes: 0 }, maxResultBytes: 100_000_000 });
  await host.shutdown();
  ctx.row("bytes to the client for a 5 MB list", `${(stored.bytes / 1024).toFixed(1)} KB with the result store, ${(sent.bytes / 1e6).toFixed(1)} MB without`, `${stored.ms.toFixed(0)} ms vs ${sent.ms.toFixed(0)} ms for the call`);
  api.close();
}
