// Issue 21 item 4: run_code runs off the main thread, so a snippet that spins holds its own worker and nothing
// else. While one session's run spins (an endless loop, a microtask storm, a regex that backtracks), another
// session's plain tool call, and its own run_code, are answered before the spinning run ends.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { writeProject } from "../helpers.js";
import { httpClient, startHttpServer, type HttpServerProcess } from "../serve/servers.js";

const SPINNERS = {
  "an endless loop": "while (true) {}",
  "a microtask storm": "const spin = () => Promise.resolve().then(spin); spin(); await new Promise(() => {});",
  "a backtracking regex": "/^(a+)+$/.test('a'.repeat(40) + 'b')",
};

describe("one run_code that spins delays no other session", () => {
  let server: HttpServerProcess;
  let a: Client;
  let b: Client;
  beforeAll(async () => {
    const root = writeProject({
      "mxcp-site.yml": "mxcp: 1\nproject: spin\nprofile: d\n",
      "user.yml": "mxcp: 1\n",
      "tools/hello.yml": "mxcp: 1\ntool:\n  name: hello\n  description: Says hello\n  source: {code: \"SELECT 'hi' AS greeting\"}\n",
    });
    server = await startHttpServer(root, ["--expose", "code", "--code-timeout", "8"]);
    a = await httpClient(server.url);
    b = await httpClient(server.url);
  }, 60_000);
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await server?.stop();
  });

  for (const [what, code] of Object.entries(SPINNERS)) {
    it(`${what}: the other session is answered first, then the run stops at its limit`, async () => {
      const order: string[] = [];
      const spinning = a.callTool({ name: "run_code", arguments: { code } }, undefined, { timeout: 120_000 }).then((r) => {
        order.push("spinner");
        return r as CallToolResult;
      });
      // Give the spinner time to start; then the other session calls a tool directly and through run_code.
      await new Promise((r) => setTimeout(r, 300));
      const direct = (await b.callTool({ name: "hello", arguments: {} })) as CallToolResult;
      order.push("direct");
      const viaCode = (await b.callTool({ name: "run_code", arguments: { code: "await tools.hello({})" } })) as CallToolResult;
      order.push("code");
      expect(JSON.stringify(direct.content)).toContain("hi");
      expect(viaCode.isError ?? false).toBe(false);
      expect(JSON.stringify(viaCode.structuredContent)).toContain('"greeting":"hi"');
      const spun = await spinning;
      expect(order).toEqual(["direct", "code", "spinner"]);
      expect(spun.isError).toBe(true);
      // (QuickJS ends a microtask storm itself, as a promise that never settles; the others hit the time limit.)
      expect(JSON.stringify(spun.content)).toMatch(/Limit reached|never happens/);
    }, 120_000);
  }
});
