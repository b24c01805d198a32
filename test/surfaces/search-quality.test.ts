// Issue 14: search quality on the shared documents, with queries written as a model would search and as a
// person would ask. The model-style top-5 hit rate may not drop below 90%; both rates are in bench/RESULTS.md.
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { generateOpenApiProject } from "../../src/pipeline/openapi.js";
import { ProjectHost } from "../../src/server/host.js";
import { McpCatalog } from "../../src/server/mcp/mcp-server.js";
import { REPO_ROOT, tempDir } from "../helpers.js";
import { SEARCH_CASES } from "./search-queries.js";

const SPECS: Record<string, string> = { box: "box.json", twilio_verify_v2: "twilio_verify_v2.json", blockfrost: "blockfrost.yaml", figma: "figma.yaml" };
const ranks: { style: string; rank: number; query: string }[] = [];

beforeAll(async () => {
  const backend = { callTool: async () => ({ content: [] }), callForCode: async () => null, sql: async () => [] };
  for (const [api, cases] of Object.entries(SEARCH_CASES)) {
    const out = tempDir(`mxcp-gen-search-${api}-`);
    await generateOpenApiProject(join(REPO_ROOT, "specs", SPECS[api]!), { out, name: api });
    const host = ProjectHost.load({ cwd: out, lazyHandlers: true, env: { MXCP_CONFIG: join(out, "none.yml") } });
    const catalog = new McpCatalog(host, { surface: "search" });
    for (const c of cases) {
      const r = await catalog.surfaces.call("search_tools", { query: c.query, limit: 5 }, backend);
      const names = ((r.structuredContent as { results: { name: string }[] }).results ?? []).map((x) => x.name);
      ranks.push({ style: c.style, rank: names.findIndex((n) => c.answers.includes(n)), query: c.query });
    }
  }
}, 180_000);

describe("search quality over the shared documents", () => {
  it("has at least 60 queries of both styles", () => {
    expect(ranks.length).toBeGreaterThanOrEqual(60);
    expect(ranks.filter((r) => r.style === "person").length).toBeGreaterThanOrEqual(25);
  });

  it("finds the answer in the top 5 for at least 90% of model-style queries", () => {
    const model = ranks.filter((r) => r.style === "model");
    const hits = model.filter((r) => r.rank >= 0 && r.rank < 5);
    expect(hits.length / model.length, `missed: ${model.filter((r) => r.rank < 0).map((r) => r.query).join("; ")}`).toBeGreaterThanOrEqual(0.9);
  });
});
