// Issue 24 item 5: where a model reads a tool's description, it gets the whole text the budget allows.
// tools/list under `all` cuts descriptions only as far as its byte budget needs (every one at the same length,
// never below its first paragraph), and describe_tool gives the whole description whatever the listing did.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { descriptionWithin, McpCatalog } from "../../src/server/mcp/mcp-server.js";
import { ProjectHost } from "../../src/server/host.js";
import { writeProject } from "../helpers.js";

const lead = (i: number) => `Tool number ${i} lists the things in folder ${i}.`;
const body = (i: number) => `${lead(i)}\n\n${`Paging: pass the cursor from the last answer to get the next page of folder ${i}. `.repeat(12).trim()}\n\nRate limits apply.`;

function project(count: number): string {
  const files: Record<string, string> = { "mxcp-site.yml": "mxcp: 1\nproject: budget\nprofile: d\n", "user.yml": "mxcp: 1\n" };
  for (let i = 0; i < count; i++) {
    files[`tools/t${i}.yml`] = `mxcp: 1\ntool:\n  name: t${i}\n  description: ${JSON.stringify(body(i))}\n  source: {code: 'SELECT ${i} AS x'}\n`;
  }
  return writeProject(files);
}

const open: { host: ProjectHost; catalog: McpCatalog; client: Client }[] = [];
afterEach(async () => {
  for (const o of open.splice(0)) {
    await o.client.close();
    await o.catalog.close();
    await o.host.shutdown();
  }
});

async function connect(root: string, options: ConstructorParameters<typeof McpCatalog>[1]): Promise<{ catalog: McpCatalog; client: Client }> {
  const host = ProjectHost.load({ cwd: root, env: { MXCP_CONFIG: join(root, "user.yml") }, log: () => undefined });
  await host.start();
  const catalog = new McpCatalog(host, options);
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await catalog.createServer({ session: "s" }).connect(serverSide);
  const client = new Client({ name: "budget-test", version: "1.0.0" });
  await client.connect(clientSide);
  open.push({ host, catalog, client });
  return { catalog, client };
}

describe("descriptions within the listing's budget", () => {
  it("cuts every description at the same length, the longest that fits, never below its first paragraph", async () => {
    const root = project(20);
    const whole = await connect(root, {});
    const full = (await whole.client.listTools()).tools;
    expect(full.find((t) => t.name === "t3")?.description).toBe(body(3));
    const budget = Math.floor(JSON.stringify(full).length * 0.7);
    const { catalog, client } = await connect(root, { listBudgetBytes: budget });
    const tools = (await client.listTools()).tools;
    expect(JSON.stringify(tools).length).toBeLessThanOrEqual(budget);
    expect(catalog.listingLevel).toBe(2);
    const cap = catalog.descriptionCap!;
    expect(cap).toBeGreaterThan(lead(0).length);
    for (const [i, t] of tools.filter((t) => /^t\d+$/.test(t.name)).entries()) {
      const text = t.description!;
      const n = Number(t.name.slice(1));
      expect(text.endsWith("…"), `${i}`).toBe(true);
      expect(text.length).toBeLessThanOrEqual(cap + 1);
      expect(text.startsWith(lead(n))).toBe(true);
      // More than the first paragraph, which is all the listing gave before.
      expect(text.length).toBeGreaterThan(lead(n).length + 40);
      expect(body(n).startsWith(text.slice(0, -1).trimEnd())).toBe(true);
    }
  });

  it("describe_tool gives the whole description, even when the listing had to cut it", async () => {
    const root = project(20);
    const { client } = await connect(root, { surface: "search", listBudgetBytes: 2000 });
    const described = (await client.callTool({ name: "describe_tool", arguments: { name: "t7" } })) as CallToolResult;
    expect((described.structuredContent as { description: string }).description).toBe(body(7));
  });

  it("a cut ends at a sentence or line where one is near, and is never shorter than the first paragraph", () => {
    const text = "First line.\n\nSecond paragraph has two sentences. This is the second one, which is long.";
    expect(descriptionWithin(text, "First line.", 1000)).toBe(text);
    expect(descriptionWithin(text, "First line.", 5)).toBe("First line.");
    expect(descriptionWithin(text, "First line.", 60)).toBe("First line.\n\nSecond paragraph has two sentences.…");
  });
});
