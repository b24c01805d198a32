// Issue 16 item 10: a generated project served to a client we did not write. The MCP Inspector's CLI
// (`@modelcontextprotocol/inspector-cli`, the Inspector's own command-line client) lists the tools and calls
// them over stdio and over streamable HTTP; the API behind them is a local server.
import { execFile } from "node:child_process";
import { createRequire } from "node:module";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateOpenApiProject } from "../../src/pipeline/openapi.js";
import { runCli, tempDir } from "../helpers.js";
import { baseEnv, startHttpServer, writeUserConfig } from "./servers.js";

const require = createRequire(import.meta.url);
const INSPECTOR = join(dirname(require.resolve("@modelcontextprotocol/inspector-cli/package.json")), "build", "index.js");

const spec = {
  openapi: "3.0.3",
  info: { title: "Things", version: "1" },
  servers: [{ url: "https://api.things.invalid" }],
  paths: {
    "/things/{id}": {
      get: {
        operationId: "getThing",
        summary: "One thing by id",
        parameters: [{ name: "id", in: "path", required: true, schema: { type: "integer" } }],
        responses: {
          "200": {
            description: "The thing",
            content: { "application/json": { schema: { type: "object", properties: { id: { type: "integer" }, name: { type: "string" } } } } },
          },
          "404": { description: "No such thing" },
        },
      },
    },
  },
};

interface InspectorRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * The Inspector CLI as a user runs it (`npx @modelcontextprotocol/inspector-cli …`), from the project's `tools/`
 * folder: version 1.0.3 finds its own package.json by a path relative to the working directory, so it runs where
 * `../package.json` exists (the project's).
 */
function inspector(root: string, target: string[], options: string[]): Promise<InspectorRun> {
  // The server's command or URL first, then the Inspector's options; a command's own arguments after `--`.
  const args = [target[0]!, ...options, ...(target.length > 1 ? ["--", ...target.slice(1)] : [])];
  return new Promise((resolve) => {
    execFile(process.execPath, [INSPECTOR, ...args], { cwd: join(root, "tools"), env: baseEnv(root), timeout: 120_000, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

function parsed(run: InspectorRun): Record<string, unknown> {
  expect(run.code, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as Record<string, unknown>;
}

describe("the MCP Inspector CLI as the client", () => {
  let api: Server;
  let root = "";
  const seen: string[] = [];
  beforeAll(async () => {
    api = createServer((req, res) => {
      seen.push(req.url!);
      const m = /^\/things\/(\d+)$/.exec(req.url ?? "");
      if (m && m[1] === "7") res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ id: 7, name: "seven" }));
      else res.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ message: "no such thing" }));
    });
    await new Promise<void>((r) => api.listen(0, "127.0.0.1", r));
    root = tempDir("mxcp-gen-inspector-");
    writeFileSync(join(root, "spec.json"), JSON.stringify(spec));
    await generateOpenApiProject(join(root, "spec.json"), { out: root, name: "things" });
    writeUserConfig(root, "things", { base_url: `http://127.0.0.1:${(api.address() as AddressInfo).port}` });
  }, 120_000);
  afterAll(() => api.close());

  it("over stdio, started from the entry --print-config prints: lists the tools with their schemas and calls one", async () => {
    const printed = await runCli(["serve", "--print-config", "claude"], { cwd: root, env: { MXCP_CONFIG: join(root, "user.yml") } });
    expect(printed.code, printed.stderr).toBe(0);
    const entry = Object.values((JSON.parse(printed.stdout) as { mcpServers: Record<string, { command: string; args: string[] }> }).mcpServers)[0]!;
    const stdioServer = () => [entry.command, ...entry.args];
    const listed = parsed(await inspector(root, stdioServer(), ["--method", "tools/list"]));
    const tools = listed.tools as { name: string; inputSchema: { properties: Record<string, { type: string }>; required?: string[] } }[];
    const tool = tools.find((t) => t.name === "things_get_thing");
    expect(tool, JSON.stringify(tools.map((t) => t.name))).toBeDefined();
    expect(tool!.inputSchema.properties.id!.type).toBe("integer");
    expect(tool!.inputSchema.required).toEqual(["id"]);

    const called = parsed(await inspector(root, stdioServer(), ["--method", "tools/call", "--tool-name", "things_get_thing", "--tool-arg", "id=7"]));
    expect(called.isError ?? false).toBe(false);
    expect(called.structuredContent ?? JSON.parse((called.content as { text: string }[])[0]!.text)).toMatchObject({ id: 7, name: "seven" });
    expect(seen).toContain("/things/7");
  }, 180_000);

  it("over streamable HTTP: lists the tools, calls one, and an upstream 404 arrives as an error object", async () => {
    const server = await startHttpServer(root);
    try {
      const listed = parsed(await inspector(root, [server.url], ["--method", "tools/list"]));
      expect((listed.tools as { name: string }[]).map((t) => t.name)).toContain("things_get_thing");

      const called = parsed(await inspector(root, [server.url], ["--method", "tools/call", "--tool-name", "things_get_thing", "--tool-arg", "id=7"]));
      expect(called.isError ?? false).toBe(false);
      expect(JSON.stringify(called.content)).toContain("seven");

      const missing = parsed(await inspector(root, [server.url], ["--method", "tools/call", "--tool-name", "things_get_thing", "--tool-arg", "id=8"]));
      expect(missing.isError).toBe(true);
      const error = JSON.parse((missing.content as { text: string }[])[0]!.text) as Record<string, unknown>;
      expect(error).toMatchObject({ status: 404 });
      expect(String(error.message)).toContain("no such thing");
    } finally {
      await server.stop();
    }
  }, 180_000);
});
