// Issue 25, items 8, 9 and 12: a generated project uses the capabilities. An operation whose answer is an image or
// audio gives the MCP client an image or audio block (the same bytes, decoded by the client); other bytes an
// embedded resource with their media type; and under --confirm-destructive a DELETE asks the user first, through a
// client that answers (accept, decline, cancel) or refuses where the client cannot ask. A stand-in API on 127.0.0.1.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { ElicitRequestSchema, type CallToolResult, type ElicitResult } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli, tempDir } from "../helpers.js";
import { startHttpServer, writeUserConfig, type HttpServerProcess } from "./servers.js";

const PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==", "base64");
const WAV = Buffer.from("UklGRiYAAABXQVZFZm10IBAAAAABAAEAQB8AAAB9AAACABAAZGF0YQIAAAA=", "base64");
const PDF = Buffer.from("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", "latin1");

const binary = (type: string) => ({ "200": { description: "bytes", content: { [type]: { schema: { type: "string", format: "binary" } } } } });
const id = [{ name: "id", in: "path", required: true, schema: { type: "string" } }];

const spec = {
  openapi: "3.0.3",
  info: { title: "Media", version: "1" },
  servers: [{ url: "https://media.invalid" }],
  paths: {
    "/charts/{id}": {
      get: { operationId: "getChart", summary: "A chart as PNG", parameters: id, responses: binary("image/png") },
      delete: { operationId: "deleteChart", summary: "Delete a chart", parameters: id, responses: { "204": { description: "gone" } } },
    },
    "/sounds/{id}": { get: { operationId: "getSound", summary: "A sound", parameters: id, responses: binary("audio/wav") } },
    "/reports/{id}": { get: { operationId: "getReport", summary: "A report", parameters: id, responses: binary("application/pdf") } },
  },
};

let api: Server;
let server: HttpServerProcess;
const deleted: string[] = [];

beforeAll(async () => {
  api = createServer((req, res) => {
    const [, kind, which] = /^\/(\w+)\/(\w+)/.exec(req.url ?? "") ?? [];
    if (req.method === "DELETE") {
      deleted.push(which!);
      return res.writeHead(204).end();
    }
    const [type, body] = kind === "charts" ? ["image/png", PNG] : kind === "sounds" ? ["audio/wav", WAV] : ["application/pdf", PDF];
    res.writeHead(200, { "content-type": type }).end(body);
  });
  await new Promise<void>((r) => api.listen(0, "127.0.0.1", r));
  const root = tempDir("mxcp-gen-media-");
  writeFileSync(join(root, "spec.json"), JSON.stringify(spec));
  const gen = await runCli(["openapi", "spec.json", "--name", "media", "--out", root], { cwd: root });
  expect(gen.code, gen.stderr).toBe(0);
  writeUserConfig(root, "media", { base_url: `http://127.0.0.1:${(api.address() as AddressInfo).port}` });
  server = await startHttpServer(root, ["--confirm-destructive"]);
}, 120_000);

afterAll(async () => {
  await server?.stop();
  api.closeAllConnections();
  api.close();
});

async function connect(answer?: () => ElicitResult): Promise<{ client: Client; asked: string[] }> {
  const client = new Client({ name: "media-test", version: "1" }, { capabilities: answer ? { elicitation: {} } : {} });
  const asked: string[] = [];
  if (answer) {
    client.setRequestHandler(ElicitRequestSchema, async (req) => {
      asked.push(req.params.message);
      return answer();
    });
  }
  await client.connect(new StreamableHTTPClientTransport(new URL(server.url)));
  return { client, asked };
}

const text = (r: CallToolResult) => r.content.map((c) => (c.type === "text" ? c.text : "")).join("\n");

describe("a generated project's binary answers", () => {
  it("an image answer is an image block the client decodes to the API's bytes; structured content says what it is", async () => {
    const { client } = await connect();
    const r = (await client.callTool({ name: "media_get_chart", arguments: { id: "c1" } })) as CallToolResult;
    expect(r.isError ?? false).toBe(false);
    expect(r.content.map((c) => c.type)).toEqual(["image"]);
    const block = r.content[0] as { data: string; mimeType: string };
    expect(block.mimeType).toBe("image/png");
    expect(Buffer.from(block.data, "base64").equals(PNG)).toBe(true);
    // The bytes travel once, in the block; the SDK client checked this against the tool's output schema.
    expect(r.structuredContent).toEqual({ content_type: "image/png", size: PNG.length, content_base64: null });
    await client.close();
  });

  it("audio is an audio block; other bytes an embedded resource with their media type", async () => {
    const { client } = await connect();
    const sound = (await client.callTool({ name: "media_get_sound", arguments: { id: "s1" } })) as CallToolResult;
    expect(sound.content).toEqual([{ type: "audio", data: WAV.toString("base64"), mimeType: "audio/wav" }]);
    const report = (await client.callTool({ name: "media_get_report", arguments: { id: "r1" } })) as CallToolResult;
    expect(report.content).toEqual([{ type: "resource", resource: { uri: "mxcp-gen:binary-result", mimeType: "application/pdf", blob: PDF.toString("base64") } }]);
    await client.close();
  });
});

describe("--confirm-destructive on a generated DELETE", () => {
  it("asks the user, naming the tool and its arguments; runs on accept, not on decline or cancel", async () => {
    const answers: ElicitResult[] = [{ action: "decline" }, { action: "cancel" }, { action: "accept", content: { confirm: true } }];
    const { client, asked } = await connect(() => answers.shift()!);
    const declined = (await client.callTool({ name: "media_delete_chart", arguments: { id: "c1" } })) as CallToolResult;
    const cancelled = (await client.callTool({ name: "media_delete_chart", arguments: { id: "c2" } })) as CallToolResult;
    expect([declined.isError, cancelled.isError]).toEqual([true, true]);
    expect(text(declined)).toContain("The user declined: media_delete_chart was not run");
    expect(deleted).toEqual([]);
    const accepted = (await client.callTool({ name: "media_delete_chart", arguments: { id: "c3" } })) as CallToolResult;
    expect(accepted.isError ?? false).toBe(false);
    expect(deleted).toEqual(["c3"]);
    expect(asked[2]).toMatch(/^.*\(id="c3"\): this tool changes or deletes data\. Run it\?$/);
    await client.close();
  });

  it("a client without elicitation is refused, and the API is never called", async () => {
    const before = deleted.length;
    const { client } = await connect();
    const r = (await client.callTool({ name: "media_delete_chart", arguments: { id: "c9" } })) as CallToolResult;
    expect(r.isError).toBe(true);
    expect(text(r)).toContain("cannot ask (it did not declare elicitation); it was not run");
    expect(deleted.length).toBe(before);
    // Reading is not destructive: it is never asked about.
    expect(((await client.callTool({ name: "media_get_chart", arguments: { id: "c1" } })) as CallToolResult).isError ?? false).toBe(false);
    await client.close();
  });
});
