// Issue 13's measure: for each document in specs/, generate, serve over stdio, and call every operation with
// every argument filled (optional ones and every object property too) against `prism mock` of the same
// document, which refuses any request that breaks it. Prints the share that pass, and the first failures.
// Run: npx tsx bench/prism-conformance.ts [spec…]
import { mkdirSync, mkdtempSync, readdirSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { generateOpenApiProject } from "../src/pipeline/openapi.js";
import { startPrism } from "../src/devtools/mock-apis.js";
import { everyArg } from "../test/openapi/examples.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const CLI = join(ROOT, "bin", "mxcp-gen.js");
const CREDENTIALS = { api_key: "key", token: "token", username: "user", password: "pass", client_id: "id", client_secret: "secret" };

async function conformance(spec: string): Promise<{ total: number; failures: string[] }> {
  const out = mkdtempSync(join(tmpdir(), "mxcp-gen-conformance-"));
  const result = await generateOpenApiProject(join(ROOT, "specs", spec), { out, name: "api" });
  if (result.tools === 0) return { total: 0, failures: [] }; // webhooks only: nothing to call
  mkdirSync(join(out, "node_modules"), { recursive: true });
  symlinkSync(ROOT, join(out, "node_modules", "mxcp-gen"));
  const prism = await startPrism(join(ROOT, "specs", spec));
  const params = Object.entries({ base_url: prism.url, ...CREDENTIALS }).map(([k, v]) => `              ${k}: ${JSON.stringify(v)}\n`).join("");
  writeFileSync(join(out, "user.yml"), `mxcp: 1\nprojects:\n  ${JSON.stringify(out.split("/").pop())}:\n    profiles:\n      default:\n        secrets:\n          - name: ${result.api}\n            type: api\n            parameters:\n${params}`);
  const client = new Client({ name: "conformance", version: "1" });
  const failures: string[] = [];
  let total = 0;
  try {
    await client.connect(new StdioClientTransport({ command: process.execPath, args: [CLI, "serve", "--transport", "stdio", "--expose", "all"], cwd: out, env: { PATH: process.env.PATH ?? "", HOME: out, MXCP_CONFIG: join(out, "user.yml") }, stderr: "ignore" }));
    const tools = (await client.listTools()).tools.filter((t) => t.name !== "query_results");
    total = tools.length;
    for (const tool of tools) {
      const args = everyArg(tool.inputSchema as Record<string, unknown>);
      try {
        const r = (await client.callTool({ name: tool.name, arguments: args })) as CallToolResult;
        if (r.isError) failures.push(`${tool.name}: ${(r.content[0] as { text: string }).text.replace(/\s+/g, " ").slice(0, 300)}`);
      } catch (e) {
        failures.push(`${tool.name}: ${(e as Error).message.replace(/\s+/g, " ").slice(0, 300)}`);
      }
    }
  } finally {
    await client.close();
    await prism.stop();
  }
  return { total, failures };
}

const specs = process.argv.slice(2).length > 0 ? process.argv.slice(2) : readdirSync(join(ROOT, "specs")).filter((f) => /\.(json|ya?ml)$/.test(f));
let passed = 0;
let all = 0;
for (const spec of specs) {
  const { total, failures } = await conformance(spec);
  passed += total - failures.length;
  all += total;
  process.stdout.write(`${spec}: ${total - failures.length}/${total} (${total ? ((100 * (total - failures.length)) / total).toFixed(1) : "-"}%)\n`);
  for (const f of failures.slice(0, 8)) process.stdout.write(`    ${f}\n`);
}
process.stdout.write(`all: ${passed}/${all} (${((100 * passed) / Math.max(1, all)).toFixed(1)}%)\n`);
