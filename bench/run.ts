// `npm run bench`: generation, type-check, start-up, call overhead and `wrap stripe`, side by side
// with the peers, each figure the median of several runs, each comparison measured in the same run.
// Loopback only. Prints one table; --markdown prints it as Markdown for bench/RESULTS.md.
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL("..", import.meta.url));
const CLI = join(ROOT, "bin", "mxcp-gen.js");
import { setMaxListeners } from "node:events";
import { apiAndDatabase, surfaces } from "./surfaces.js";
import { itemApi } from "./item-api.js";
import { serveHttp } from "./serve-http.js";

// The SDK client adds an abort listener per request to one signal; a benchmark makes thousands.
setMaxListeners(100_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const GITHUB = join(ROOT, "node_modules", "@octokit", "openapi", "generated", "api.github.com.json");
const BOX = join(ROOT, "specs", "box.json");

const rows: [string, string, string][] = [];
const row = (what: string, value: string, note = "") => {
  rows.push([what, value, note]);
  process.stderr.write(`  ${what}: ${value}${note ? ` (${note})` : ""}\n`);
};

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;
const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]!;
const temp = (p: string) => mkdtempSync(join(tmpdir(), `mxcp-gen-bench-${p}-`));

/** Wall time (s) and peak RSS (MB) of a command, from /usr/bin/time. */
async function timed(cmd: string, args: string[], cwd: string): Promise<{ s: number; mb: number; ok: boolean }> {
  const r = await run("/usr/bin/time", ["-f", "%e %M", cmd, ...args], { cwd, maxBuffer: 256 * 1024 * 1024 }).then(
    (x) => ({ ...x, ok: true }),
    (e: { stdout: string; stderr: string }) => ({ stdout: e.stdout, stderr: e.stderr, ok: false }),
  );
  const last = r.stderr.trim().split("\n").pop()!.split(" ");
  return { s: Number(last[0]), mb: Number(last[1]) / 1024, ok: r.ok };
}

async function medianOf(times: number, f: () => Promise<{ s: number; mb: number; ok: boolean }>) {
  const all = [];
  for (let i = 0; i < times; i++) all.push(await f());
  return { s: median(all.map((a) => a.s)), mb: Math.max(...all.map((a) => a.mb)), ok: all.every((a) => a.ok) };
}

async function generation(name: string, spec: string): Promise<string> {
  process.stderr.write(`generation: ${name}\n`);
  let out = "";
  const ours = await medianOf(RUNS, async () => {
    out = temp(name);
    return timed(process.execPath, [CLI, "openapi", spec, "--name", name], out);
  });
  const ots = await medianOf(RUNS, () => timed(process.execPath, [join(ROOT, "node_modules", "openapi-typescript", "bin", "cli.js"), spec, "-o", join(temp("ots"), "types.ts")], ROOT));
  const peer = await medianOf(RUNS, () =>
    timed(process.execPath, [join(ROOT, "node_modules", "openapi-mcp-generator", "bin", "openapi-mcp-generator.js"), "-i", spec, "-o", temp("peer"), "--force"], ROOT),
  );
  row(`generate ${name}: mxcp-gen`, `${ours.s.toFixed(2)} s, ${ours.mb.toFixed(0)} MB`, `${(ours.s / ots.s).toFixed(2)} × openapi-typescript`);
  row(`generate ${name}: openapi-typescript alone`, `${ots.s.toFixed(2)} s, ${ots.mb.toFixed(0)} MB`);
  row(`generate ${name}: openapi-mcp-generator`, peer.ok ? `${peer.s.toFixed(2)} s, ${peer.mb.toFixed(0)} MB` : "failed");
  return out;
}

async function typecheck(name: string, dir: string): Promise<void> {
  mkdirSync(join(dir, "node_modules"), { recursive: true });
  // The generation linked the runtime itself when it ran from this checkout.
  if (!existsSync(join(dir, "node_modules", "mxcp-gen"))) symlinkSync(ROOT, join(dir, "node_modules", "mxcp-gen"));
  const t = await timed(process.execPath, [join(ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", join(dir, "tsconfig.json"), "--noEmit"], dir);
  row(`tsc --noEmit, ${name} project`, `${t.s.toFixed(1)} s, ${t.mb.toFixed(0)} MB`, t.ok ? "passes" : "FAILS");
}

async function startup(dir: string): Promise<void> {
  const once = async () => {
    const t0 = performance.now();
    const transport = new StdioClientTransport({ command: process.execPath, args: [CLI, "serve", "--transport", "stdio", "--expose", "all"], cwd: dir, env: { PATH: process.env.PATH ?? "", MXCP_CONFIG: "/nonexistent" }, stderr: "ignore" });
    const client = new Client({ name: "bench", version: "1" });
    await client.connect(transport);
    const list = await client.listTools();
    const ms = performance.now() - t0;
    await client.close();
    return { ms, tools: list.tools.length, bytes: Buffer.byteLength(JSON.stringify(list)) };
  };
  const first = await once();
  const warm = [];
  for (let i = 0; i < Math.max(3, RUNS); i++) warm.push(await once());
  row("start-up to tools/list, GitHub, --expose all", `${median(warm.map((w) => w.ms)).toFixed(0)} ms`, `${first.tools} tools; first start ${first.ms.toFixed(0)} ms`);
  row("tools/list payload, GitHub, --expose all", `${(first.bytes / 1e6).toFixed(2)} MB`, "peers send 1.7–2.0 MB");
}

/** `mxcp-gen run tool` in the GitHub project: first (cold cache) and warm, up to the argument check (no request). */
async function runOneTool(dir: string): Promise<void> {
  const once = () => timed(process.execPath, [CLI, "run", "tool", "github_repos_get", "-p", "owner=octo", "--json-output"], dir);
  const first = await once();
  const warm = await medianOf(Math.max(3, RUNS), once);
  row("run tool, GitHub project (1,223 tools)", `${warm.s.toFixed(2)} s warm`, `first ${first.s.toFixed(2)} s; only the called tool is validated and loaded`);
}

async function callOverhead(): Promise<void> {
  const dir = temp("calls");
  const { base, server: api } = await itemApi(CLI, dir);
  const direct: number[] = [];
  for (let i = 0; i < 300; i++) {
    const t0 = performance.now();
    await (await fetch(`${base}/items/${i}`)).json();
    direct.push(performance.now() - t0);
  }
  const measure = async (client: Client) => {
    const times: number[] = [];
    for (let i = 0; i < 300; i++) {
      const t0 = performance.now();
      await client.callTool({ name: "bench_get_item", arguments: { id: i } });
      times.push(performance.now() - t0);
    }
    return times;
  };
  const stdio = new Client({ name: "bench", version: "1" });
  await stdio.connect(new StdioClientTransport({ command: process.execPath, args: [CLI, "serve", "--transport", "stdio"], cwd: dir, env: { PATH: process.env.PATH ?? "", MXCP_CONFIG: "/nonexistent" }, stderr: "ignore" }));
  await measure(stdio);
  const viaStdio = await measure(stdio);
  await stdio.close();
  const d = median(direct);
  row("direct HTTP request to the API", `${d.toFixed(2)} ms median`, `p99 ${percentile(direct, 0.99).toFixed(2)} ms`);
  // p99s are shown as measured: a difference of two tails is mostly noise.
  row("tool call overhead, stdio", `${(median(viaStdio) - d).toFixed(2)} ms median`, `call p99 ${percentile(viaStdio, 0.99).toFixed(2)} ms`);
  for (const [label, extra] of [["HTTP", []], ["HTTP --json-response", ["--json-response"]]] as [string, string[]][]) {
    const { child, url } = await serveHttp(CLI, dir, extra, { PATH: process.env.PATH ?? "", MXCP_CONFIG: "/nonexistent" });
    const http = new Client({ name: "bench", version: "1" });
    await http.connect(new StreamableHTTPClientTransport(new URL(url)));
    await measure(http);
    const viaHttp = await measure(http);
    row(`tool call overhead, ${label}`, `${(median(viaHttp) - d).toFixed(2)} ms median`, `call p99 ${percentile(viaHttp, 0.99).toFixed(2)} ms`);
    for (const concurrency of [1, 32]) {
      const total = 1000;
      let next = 0;
      const t0 = performance.now();
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          while (next < total) await http.callTool({ name: "bench_get_item", arguments: { id: next++ } });
        }),
      );
      row(`calls per second, ${label}, concurrency ${concurrency}`, `${((total / (performance.now() - t0)) * 1000).toFixed(0)}`);
    }
    await http.close();
    child.kill("SIGTERM");
  }
  api.close();
}

async function wrapStripe(): Promise<void> {
  const r = await medianOf(RUNS, async () => {
    const dir = temp("stripe");
    mkdirSync(join(dir, "node_modules"));
    symlinkSync(join(ROOT, "node_modules", "stripe"), join(dir, "node_modules", "stripe"));
    writeFileSync(join(dir, "package.json"), '{"type":"module"}');
    return timed(process.execPath, [CLI, "wrap", "stripe"], dir);
  });
  row("wrap stripe (472 tools)", `${r.s.toFixed(2)} s, ${r.mb.toFixed(0)} MB`);
}

/** BENCH_ONLY=generation,calls,wrap,surfaces,database runs a subset (type-check and start-up come with generation). */
const ONLY = process.env.BENCH_ONLY?.split(",");
const wanted = (part: string) => !ONLY || ONLY.includes(part);

async function main(): Promise<void> {
  process.stderr.write(`mxcp-gen benchmarks: ${RUNS} runs each (BENCH_RUNS), ${cpus().length} cores, Node ${process.version}\n`);
  let github: string | undefined;
  if (wanted("generation")) {
    await generation("box", BOX);
    github = await generation("github", GITHUB);
    await typecheck("GitHub", github);
    await startup(github);
    await runOneTool(github);
  }
  const ctx = { root: ROOT, cli: CLI, runs: RUNS, temp, row, median, percentile };
  if (wanted("surfaces")) await surfaces(ctx, github);
  if (wanted("database")) await apiAndDatabase(ctx);
  if (wanted("calls")) await callOverhead();
  if (wanted("wrap")) await wrapStripe();
  const width = Math.max(...rows.map((r) => r[0].length));
  if (process.argv.includes("--markdown")) {
    process.stdout.write("| measure | figure | note |\n|---|---|---|\n" + rows.map((r) => `| ${r.join(" | ")} |`).join("\n") + "\n");
  } else {
    process.stdout.write(rows.map(([a, b, c]) => `${a.padEnd(width)}  ${b.padEnd(22)}  ${c}`).join("\n") + "\n");
  }
  for (const d of readdirSync(tmpdir()).filter((f) => f.startsWith("mxcp-gen-bench-"))) rmSync(join(tmpdir(), d), { recursive: true, force: true });
}

await main();
