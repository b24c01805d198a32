// `npm run bench:round-trip`: one tool call's round trip, ours against openapi-mcp-generator's, side by side in
// one run (issue 28 item 6), and our HTTP call overhead with and without SSE answers.
//
// Both servers are generated from specs/petstore3.yaml, pointed at one local upstream that answers at once,
// and called over stdio with the MCP SDK's client: `get_pet_by_id` (theirs: `getPetById`), a warm-up, then
// alternating blocks so a slow minute on a shared machine falls on both. A third server, the SDK alone with one
// request, shows the least any server on the SDK can take. The peer's project is installed with
// npm as its README says (its own SDK, axios, zod) and built with tsc; that needs the registry once.
// Loopback only. Prints a table; --markdown prints it as Markdown for bench/RESULTS.md.
import { execFile } from "node:child_process";
import { setMaxListeners } from "node:events";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { parse, stringify } from "yaml";
import { serveHttp } from "./serve-http.js";

setMaxListeners(100_000);
const run = promisify(execFile);
const ROOT = fileURLToPath(new URL("..", import.meta.url));
const CLI = join(ROOT, "bin", "mxcp-gen.js");
const BLOCKS = Number(process.env.BENCH_BLOCKS ?? 10);
const PER_BLOCK = 100;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;
const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]!;
const rows: [string, string, string][] = [];
const row = (what: string, value: string, note = "") => {
  rows.push([what, value, note]);
  process.stderr.write(`  ${what}: ${value}${note ? ` (${note})` : ""}\n`);
};

const upstream = createServer((req, res) => {
  const id = Number(req.url!.split("/").pop()!.split("?")[0]);
  res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ id, name: "rex", photoUrls: [], status: "available" }));
});
await new Promise<void>((r) => upstream.listen(0, "127.0.0.1", r));
const base = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;

const work = mkdtempSync(join(tmpdir(), "mxcp-gen-bench-round-trip-"));
const spec = parse(readFileSync(join(ROOT, "specs", "petstore3.yaml"), "utf8")) as { servers: { url: string }[] };
spec.servers = [{ url: base }];
writeFileSync(join(work, "petstore.yaml"), stringify(spec));

process.stderr.write(`round trip: ${BLOCKS}×${PER_BLOCK} calls each, ${cpus().length} cores, Node ${process.version}\n`);
const ours = join(work, "ours");
await run(process.execPath, [CLI, "openapi", join(work, "petstore.yaml"), "--name", "petstore", "--out", ours], { cwd: work });
const config = join(work, "user.yml");
const project = /^project: (.*)$/m.exec(readFileSync(join(ours, "mxcp-site.yml"), "utf8"))![1]!;
writeFileSync(
  config,
  stringify({ mxcp: 1, projects: { [project]: { profiles: { default: { secrets: [{ name: "petstore", type: "api", parameters: { api_key: "bench-key", base_url: base } }] } } } } }),
);

const theirs = join(work, "theirs");
await run(process.execPath, [join(ROOT, "node_modules", "openapi-mcp-generator", "bin", "openapi-mcp-generator.js"), "-i", join(work, "petstore.yaml"), "-o", theirs, "--force"], { cwd: work });
process.stderr.write("installing the peer's project (npm install, tsc)…\n");
await run("npm", ["install", "--no-audit", "--no-fund", "--silent"], { cwd: theirs, maxBuffer: 64 * 1024 * 1024 });
await run("npx", ["tsc"], { cwd: theirs });

// The floor: the MCP SDK's own stdio server answering with one kept-alive node:http request and nothing else (no
// validation, no redaction, no audit). No server built on the SDK can take less.
const floorServer = join(work, "floor-server.mjs");
const sdk = (path: string) => JSON.stringify(join(ROOT, "node_modules", "@modelcontextprotocol", "sdk", "dist", "esm", path));
writeFileSync(
  floorServer,
  `import { Server } from ${sdk("server/index.js")};
import { StdioServerTransport } from ${sdk("server/stdio.js")};
import { CallToolRequestSchema } from ${sdk("types.js")};
import { Agent, request } from "node:http";
const agent = new Agent({ keepAlive: true });
const get = (path) => new Promise((resolve, reject) => {
  const req = request(process.env.BASE + path, { agent, headers: { accept: "application/json", api_key: "bench-key" } }, (res) => {
    const chunks = [];
    res.on("data", (c) => chunks.push(c));
    res.on("end", () => resolve(JSON.parse(Buffer.concat(chunks).toString())));
  });
  req.on("error", reject);
  req.end();
});
const server = new Server({ name: "floor", version: "1" }, { capabilities: { tools: {} } });
server.setRequestHandler(CallToolRequestSchema, async (r) => {
  const pet = await get("/pet/" + r.params.arguments.petId);
  return { content: [{ type: "text", text: JSON.stringify(pet) }], structuredContent: pet };
});
await server.connect(new StdioServerTransport());
`,
);

const env = { PATH: process.env.PATH ?? "", HOME: work };
const ourClient = new Client({ name: "bench", version: "1" });
await ourClient.connect(
  new StdioClientTransport({ command: process.execPath, args: [CLI, "serve", "--transport", "stdio"], cwd: ours, env: { ...env, MXCP_CONFIG: config }, stderr: "ignore" }),
);
const peerClient = new Client({ name: "bench", version: "1" });
await peerClient.connect(
  new StdioClientTransport({ command: process.execPath, args: ["build/index.js"], cwd: theirs, env: { ...env, API_BASE_URL: base, API_KEY_API_KEY: "bench-key" }, stderr: "ignore" }),
);

const floorClient = new Client({ name: "bench", version: "1" });
await floorClient.connect(new StdioClientTransport({ command: process.execPath, args: [floorServer], env: { ...env, BASE: base }, stderr: "ignore" }));

async function block(client: Client, name: string, into: number[], n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    const r = await client.callTool({ name, arguments: { petId: (i % 9) + 1 } });
    into.push(performance.now() - t0);
    if (r.isError) throw new Error(`${name}: ${JSON.stringify(r.content)}`);
  }
}

const ourTimes: number[] = [];
const peerTimes: number[] = [];
const floorTimes: number[] = [];
// Warm-up: both servers' code paths compiled by the JIT before anything is counted.
const WARM_UP = Number(process.env.BENCH_WARM_UP ?? 1000);
await block(ourClient, "petstore_get_pet_by_id", [], WARM_UP);
await block(peerClient, "getPetById", [], WARM_UP);
await block(floorClient, "get_pet_by_id", [], WARM_UP);
for (let b = 0; b < BLOCKS; b++) {
  await block(ourClient, "petstore_get_pet_by_id", ourTimes, PER_BLOCK);
  await block(peerClient, "getPetById", peerTimes, PER_BLOCK);
  await block(floorClient, "get_pet_by_id", floorTimes, PER_BLOCK);
}
await floorClient.close();
await ourClient.close();
await peerClient.close();

const direct: number[] = [];
for (let i = 0; i < 300; i++) {
  const t0 = performance.now();
  await (await fetch(`${base}/pet/${(i % 9) + 1}`)).json();
  direct.push(performance.now() - t0);
}
const [o, p, f, d] = [median(ourTimes), median(peerTimes), median(floorTimes), median(direct)];
row("round trip, stdio, mxcp-gen", `${o.toFixed(2)} ms median`, `p99 ${percentile(ourTimes, 0.99).toFixed(2)} ms; ${(o / p).toFixed(2)} × openapi-mcp-generator`);
row("round trip, stdio, openapi-mcp-generator", `${p.toFixed(2)} ms median`, `p99 ${percentile(peerTimes, 0.99).toFixed(2)} ms`);
row("round trip, stdio, the SDK alone (floor)", `${f.toFixed(2)} ms median`, `p99 ${percentile(floorTimes, 0.99).toFixed(2)} ms; ${(f / p).toFixed(2)} × openapi-mcp-generator`);
row("direct HTTP request to the upstream (fetch)", `${d.toFixed(2)} ms median`, "the part of each round trip neither server can remove");

for (const [label, extra] of [["HTTP --json-response", ["--json-response"]], ["HTTP (SSE answers)", []]] as [string, string[]][]) {
  const { child, url } = await serveHttp(CLI, ours, extra, { ...env, MXCP_CONFIG: config });
  const client = new Client({ name: "bench", version: "1" });
  await client.connect(new StreamableHTTPClientTransport(new URL(url)));
  await block(client, "petstore_get_pet_by_id", [], WARM_UP);
  const times: number[] = [];
  await block(client, "petstore_get_pet_by_id", times, BLOCKS * PER_BLOCK);
  await client.close();
  child.kill("SIGTERM");
  row(`call overhead, ${label}`, `${(median(times) - d).toFixed(2)} ms median`, `round trip ${median(times).toFixed(2)} ms, p99 ${percentile(times, 0.99).toFixed(2)} ms`);
}

upstream.close();
rmSync(work, { recursive: true, force: true });
const width = Math.max(...rows.map((r) => r[0].length));
if (process.argv.includes("--markdown")) {
  process.stdout.write("| measure | figure | note |\n|---|---|---|\n" + rows.map((r) => `| ${r.join(" | ")} |`).join("\n") + "\n");
} else {
  process.stdout.write(rows.map(([a, b, c]) => `${a.padEnd(width)}  ${b.padEnd(18)}  ${c}`).join("\n") + "\n");
}
