// Issue 21 item 2: one size cap on every path a result can leave by. With --max-result-bytes 1000, a stored
// summary of a 5 MB object, of ten 1 MB rows, a direct result, query_results, run_code and call_tool each send
// at most the cap (and the notice that says what was cut).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { writeProject } from "../helpers.js";
import { httpClient, startHttpServer, type HttpServerProcess } from "../serve/servers.js";

const CAP = 1000;
const CODE_CAP = 500;
// The cut text is framed by a notice before and after (about 110 bytes each).
const NOTICES = 300;

function project(): string {
  const tool = (name: string, ret: string) => `mxcp: 1\ntool:\n  name: ${name}\n  description: ${name}\n  language: typescript\n  return: ${ret}\n  source: {file: ../handlers/h.ts}\n`;
  return writeProject({
    "mxcp-site.yml": "mxcp: 1\nproject: cap\nprofile: d\n",
    "user.yml": "mxcp: 1\n",
    "tools/big_object.yml": tool("big_object", "{type: object}"),
    "tools/ten_rows.yml": tool("ten_rows", "{type: array, items: {type: object}}"),
    "tools/medium.yml": tool("medium", "{type: array, items: {type: object}}"),
    "handlers/h.ts": `export async function big_object() { return { blob: "o".repeat(5_000_000), n: 1 }; }
export async function ten_rows() { return Array.from({ length: 10 }, (_, i) => ({ i, text: String(i).repeat(1_000_000) })); }
export async function medium() { return Array.from({ length: 500 }, (_, i) => ({ i, text: "m".repeat(100) })); }
`,
  });
}

/** Every byte of text the client received in one result. */
function sent(r: CallToolResult): number {
  const texts = r.content.reduce((n, c) => n + (c.type === "text" ? Buffer.byteLength(c.text) : 0), 0);
  return texts + (r.structuredContent ? Buffer.byteLength(JSON.stringify(r.structuredContent)) : 0);
}

describe("--max-result-bytes holds on every path", () => {
  let root: string;
  let code: HttpServerProcess;
  let search: HttpServerProcess;
  let c: Client;
  let s: Client;
  beforeAll(async () => {
    root = project();
    const flags = ["--max-result-bytes", String(CAP), "--store-results-over", "100000"];
    // run_code's own output cap below the result cap: what it cuts must not come back twice (issue 28 item 5).
    [code, search] = await Promise.all([startHttpServer(root, [...flags, "--expose", "code", "--readonly", "--code-max-output", String(CODE_CAP)]), startHttpServer(root, [...flags, "--expose", "search", "--readonly"])]);
    c = await httpClient(code.url);
    s = await httpClient(search.url);
  }, 60_000);
  afterAll(async () => {
    await c?.close();
    await s?.close();
    await Promise.all([code?.stop(), search?.stop()]);
  });

  it("a stored summary of a 5 MB object and of ten 1 MB rows", async () => {
    for (const name of ["big_object", "ten_rows"]) {
      const r = (await c.callTool({ name, arguments: {} })) as CallToolResult;
      expect(sent(r), name).toBeLessThanOrEqual(CAP + NOTICES);
      expect(JSON.stringify(r), name).toMatch(/stored_as|Result cut/);
    }
  });

  it("a direct result, query_results, run_code and call_tool", async () => {
    const results = [
      (await c.callTool({ name: "medium", arguments: {} })) as CallToolResult,
      (await c.callTool({ name: "query_results", arguments: { sql: "SELECT repeat('q', 500) AS t FROM range(100)" } })) as CallToolResult,
      (await c.callTool({ name: "run_code", arguments: { code: "const m = await tools.medium({}); m" } })) as CallToolResult,
      (await s.callTool({ name: "call_tool", arguments: { name: "medium", arguments: {} } })) as CallToolResult,
    ];
    for (const [i, r] of results.entries()) {
      expect(sent(r), `path ${i}`).toBeLessThanOrEqual(CAP + NOTICES);
      expect(JSON.stringify(r.content), `path ${i}`).toMatch(/Result cut|Output cut/);
    }
    // run_code cut its own result: the cut text is sent once, as text, within its cap.
    expect(results[2]!.structuredContent).toBeUndefined();
    expect(sent(results[2]!)).toBeLessThanOrEqual(CODE_CAP + NOTICES);
    expect(JSON.stringify(results[2]!.content)).toContain(`Output cut to ${CODE_CAP} bytes`);
  });
});
