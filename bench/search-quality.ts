// Search quality on held-out queries (bench/search-held-out.ts) and on the shared set the tests guard
// (test/surfaces/search-queries.ts): top-1 and top-5 by document and query style, through the search surface
// exactly as a client calls search_tools. `npx tsx bench/search-quality.ts [--misses]`; SEARCH_BENCH_REUSE=1
// keeps the generated projects in $TMPDIR between runs (regenerate after a change to naming).
import { existsSync, mkdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { generateOpenApiProject } from "../src/pipeline/openapi.js";
import { ProjectHost } from "../src/server/host.js";
import { McpCatalog } from "../src/server/mcp/mcp-server.js";
import { FRESH, HELD_OUT, HELD_OUT_SPECS } from "./search-held-out.js";
import { SEARCH_CASES } from "../test/surfaces/search-queries.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const SHARED_SPECS: Record<string, string> = { box: "specs/box.json", twilio_verify_v2: "specs/twilio_verify_v2.json", blockfrost: "specs/blockfrost.yaml", figma: "specs/figma.yaml" };
const showMisses = process.argv.includes("--misses");
const backend = { callTool: async () => ({ content: [] }), callForCode: async () => null, sql: async () => [] };

async function catalogFor(name: string, spec: string): Promise<{ catalog: McpCatalog; route: (tool: string) => string }> {
  const out = join(tmpdir(), "mxcp-gen-search-bench", name);
  if (!(process.env.SEARCH_BENCH_REUSE && existsSync(join(out, "mxcp-gen.lock.json")))) {
    // A fresh folder: a lock file left from before would keep that run's naming rule.
    rmSync(out, { recursive: true, force: true });
    mkdirSync(out, { recursive: true });
    await generateOpenApiProject(join(ROOT, spec), { out, name, force: true });
  }
  const host = ProjectHost.load({ cwd: out, lazyHandlers: true, env: { MXCP_CONFIG: "/nonexistent" } });
  const catalog = new McpCatalog(host, { surface: "search" });
  const route = (tool: string) => {
    const op = host.endpoints.find((e) => e.kind === "tool" && e.name === tool)?.metadata?.operation as { method?: string; path?: string } | undefined;
    return op?.path ? `${String(op.method).toUpperCase()} ${op.path}` : tool;
  };
  return { catalog, route };
}

interface Tally {
  n: number;
  top1: number;
  top5: number;
}

async function measure(label: string, name: string, spec: string, cases: { query: string; style: "model" | "person"; answers: string[] }[], byRoute: boolean): Promise<Record<string, Tally>> {
  const { catalog, route } = await catalogFor(name, spec);
  const tally: Record<string, Tally> = { model: { n: 0, top1: 0, top5: 0 }, person: { n: 0, top1: 0, top5: 0 } };
  if (byRoute) {
    const routes = new Set(catalog.host.endpoints.filter((e) => e.kind === "tool" && e.name).map((e) => route(e.name!)));
    for (const c of cases) for (const a of c.answers) if (!routes.has(a)) throw new Error(`${label} ${name}: "${c.query}" names ${a}, which the document does not have`);
  }
  for (const c of cases) {
    const r = await catalog.surfaces.call("search_tools", { query: c.query, limit: 5 }, backend);
    const names = ((r.structuredContent as { results?: { name: string }[] }).results ?? []).map((x) => x.name);
    const keys = byRoute ? names.map(route) : names;
    const rank = keys.findIndex((k) => c.answers.includes(k));
    const t = tally[c.style]!;
    t.n++;
    if (rank === 0) t.top1++;
    if (rank >= 0) t.top5++;
    if (showMisses && rank !== 0) process.stdout.write(`  ${label} ${rank < 0 ? "miss" : `#${rank + 1}`}: "${c.query}" → ${keys.slice(0, 3).join(" | ")}\n`);
  }
  await catalog.close();
  return tally;
}

const pct = (a: number, n: number) => `${n ? Math.round((a / n) * 100) : 0}%`;
const rows: string[] = ["| set | document | style | queries | top-1 | top-5 |", "|---|---|---|---|---|---|"];
const total: Record<string, Record<string, Tally>> = {};
const add = (set: string, doc: string, tally: Record<string, Tally>) => {
  for (const style of ["model", "person"]) {
    const t = tally[style]!;
    if (t.n === 0) continue;
    rows.push(`| ${set} | ${doc} | ${style} | ${t.n} | ${pct(t.top1, t.n)} | ${pct(t.top5, t.n)} |`);
    const sum = ((total[set] ??= {})[style] ??= { n: 0, top1: 0, top5: 0 });
    sum.n += t.n;
    sum.top1 += t.top1;
    sum.top5 += t.top5;
  }
};
for (const [doc, cases] of Object.entries(HELD_OUT)) add("held-out", doc, await measure("held-out", doc, HELD_OUT_SPECS[doc]!, cases, true));
for (const [doc, cases] of Object.entries(FRESH)) add("fresh", doc, await measure("fresh", doc, HELD_OUT_SPECS[doc]!, cases, true));
for (const [doc, cases] of Object.entries(SEARCH_CASES)) add("shared", doc, await measure("shared", doc, SHARED_SPECS[doc]!, cases, false));
for (const [set, styles] of Object.entries(total)) {
  for (const [style, t] of Object.entries(styles)) rows.push(`| ${set} | **all** | ${style} | ${t.n} | **${pct(t.top1, t.n)}** | **${pct(t.top5, t.n)}** |`);
}
process.stdout.write(rows.join("\n") + "\n");
