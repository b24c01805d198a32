import { mkdirSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { describe, expect, it } from "vitest";
import { generateOpenApiProject } from "../../src/pipeline/openapi.js";
import { REPO_ROOT, tempDir } from "../helpers.js";
import { stdioClient, writeUserConfig } from "../serve/servers.js";
import { exampleArgs } from "./examples.js";
import { startPrism } from "../../src/devtools/mock-apis.js";

interface Case {
  spec: string;
  name: string;
  credentials: Record<string, string>;
}

const CASES: Case[] = [
  { spec: "petstore3.yaml", name: "petstore", credentials: { api_key: "special-key", token: "oauth-token" } },
  { spec: "twilio_verify_v2.json", name: "twilio", credentials: { username: "ACxxxxxxxx", password: "auth-token" } },
];

/**
 * Generate, serve over stdio, and call every operation with example arguments against `prism mock`
 * of the same document, which rejects any request that breaks the document.
 */
async function runEveryOperation(c: Case): Promise<{ total: number; failures: string[] }> {
  const spec = join(REPO_ROOT, "specs", c.spec);
  const out = tempDir(`mxcp-gen-e2e-${c.name}-`);
  await generateOpenApiProject(spec, { out, name: c.name });
  mkdirSync(join(out, "node_modules"), { recursive: true });
  symlinkSync(REPO_ROOT, join(out, "node_modules", "mxcp-gen"));
  const prism = await startPrism(spec);
  writeUserConfig(out, c.name, { base_url: prism.url, ...c.credentials });
  const failures: string[] = [];
  let client: Client | undefined;
  try {
    client = (await stdioClient(out)).client;
    // Every tool of the API; query_results is the server's own (tested in test/results).
    const tools = (await client.listTools()).tools.filter((t) => t.name !== "query_results");
    for (const tool of tools) {
      const args = exampleArgs(tool.inputSchema as Record<string, unknown>);
      try {
        // The SDK client checks structuredContent against the tool's outputSchema and throws on a mismatch.
        const r = (await client.callTool({ name: tool.name, arguments: args })) as CallToolResult;
        if (r.isError) failures.push(`${tool.name}(${JSON.stringify(args)}): ${(r.content[0] as { text: string }).text.slice(0, 400)}`);
      } catch (e) {
        failures.push(`${tool.name}(${JSON.stringify(args)}): ${(e as Error).message.slice(0, 400)}`);
      }
    }
    return { total: tools.length, failures };
  } finally {
    await client?.close();
    await prism.stop();
  }
}

describe("every operation against prism mock", () => {
  for (const c of CASES) {
    it(`${c.spec}: every request accepted, every result valid`, async () => {
      const { total, failures } = await runEveryOperation(c);
      process.stderr.write(`[e2e] ${c.spec}: ${total - failures.length}/${total} operations passed\n`);
      expect(total).toBeGreaterThan(0);
      expect(failures).toEqual([]);
    }, 240_000);
  }
});
