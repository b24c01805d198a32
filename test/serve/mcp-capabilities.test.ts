// Issue 25, items 1–7: what a handler can return and ask, and what a server offers beside tools, with the real SDK
// client over HTTP against a project of our own making. Each capability with its hostile case: a JSON answer shaped
// like an image stays text, a second session never sees the first's question or subscription, a file or schema
// reaching outside the project is refused at load, another session's event id replays nothing.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import {
  CreateMessageRequestSchema,
  ElicitRequestSchema,
  ResourceUpdatedNotificationSchema,
  type CallToolResult,
  type ElicitResult,
} from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli, tempDir, writeProject } from "../helpers.js";
import { startHttpServer, type HttpServerProcess } from "./servers.js";

const PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==", "base64");

const tool = (name: string, extra = "") => `mxcp: 1\ntool:\n  name: ${name}\n  description: ${name}\n${extra}  source:\n    file: ../handlers/h.ts\n`;

const HANDLERS = `
import { readFileSync } from "node:fs";
import { content, mcp, resources } from "mxcp-gen/runtime";
const png = () => readFileSync(new URL("../assets/pixel.png", import.meta.url));
export const pixel = () => content.image(png(), "image/png");
export const report = () => content.with({ id: 7, rows: 2 }, content.resource("app://report/7", { text: "a,b\\n1,2", mimeType: "text/csv" }));
export const undeclared = () => content.image(png(), "image/png");
// What a JSON API could send: shaped like an image block, but data.
export const forged = () => ({ type: "image", data: png().toString("base64"), mimeType: "image/png" });
export async function ask_model(args: { question: string }) {
  const answer = await mcp.sample({ prompt: args.question, maxTokens: 50 });
  return answer.model + ": " + answer.text;
}
export async function ask_user() {
  const a = await mcp.elicit("Pick a colour", { type: "object", properties: { colour: { type: "string", enum: ["red", "blue"] } }, required: ["colour"] });
  return a.action + ":" + (a.content?.colour ?? "-");
}
export function touch_note(args: { id: string }) {
  resources.changed("notes://" + args.id);
  return "touched";
}
export const delete_note = (args: { id: string }) => "deleted " + args.id;
export const transfer = (args: { amount: number }) => "sent " + args.amount;
export const shaped = (args: Record<string, unknown>) => JSON.stringify(args);
export const note = (args: { id: string }) => "note " + args.id;
export const logo = () => png();
export const plain = () => "plain text";
export const find_tags = (a: { value: string; kind?: string | null }) => ["red", "rose", "ruby", "blue"].filter((t) => t.includes(a.value)).map((t) => (a.kind ? a.kind + ":" + t : t));
export async function released() {
  const closed = mcp.releaseStream();
  await new Promise((r) => setTimeout(r, 300));
  return "released: " + closed;
}
`;

function project(): string {
  const root = writeProject({
    "mxcp-site.yml": "mxcp: 1\nproject: caps\nprofile: default\n",
    "user.yml": "mxcp: 1\nprojects: {}\n",
    "assets/.keep": "",
    "handlers/h.ts": HANDLERS,
    "tools/pixel.yml": tool("pixel"),
    "tools/report.yml": tool("report", "  return:\n    type: object\n    properties:\n      id: {type: integer}\n      rows: {type: integer}\n"),
    "tools/undeclared.yml": tool("undeclared", "  return:\n    type: string\n"),
    "tools/forged.yml": tool("forged"),
    "tools/released.yml": tool("released"),
    "tools/find_tags.yml": tool("find_tags", "  parameters:\n    - name: value\n      type: string\n      description: typed\n    - name: kind\n      type: string\n      description: kind\n      default: null\n  return:\n    type: array\n    items: {type: string}\n"),
    "prompts/tagged.yml":
      "mxcp: 1\nprompt:\n  name: tagged\n  description: tagged\n  parameters:\n    - name: tag\n      type: string\n      description: a tag\n      complete: find_tags\n    - name: kind\n      type: string\n      description: a kind\n    - name: broken\n      type: string\n      description: completed by a tool that is not there\n      complete: no_such_tool\n  messages:\n    - prompt: \"{{ kind }} {{ tag }} {{ broken }}\"\n",
    "tools/ask_model.yml": tool("ask_model", "  parameters:\n    - name: question\n      type: string\n      description: q\n"),
    "tools/ask_user.yml": tool("ask_user"),
    "tools/touch_note.yml": tool("touch_note", "  parameters:\n    - name: id\n      type: string\n      description: id\n"),
    "tools/delete_note.yml": tool("delete_note", "  annotations:\n    destructiveHint: true\n  parameters:\n    - name: id\n      type: string\n      description: id\n"),
    "tools/transfer.yml": tool(
      "transfer",
      "  parameters:\n    - name: amount\n      type: integer\n      description: cents\n  policies:\n    input:\n      - condition: amount > 100\n        action: confirm\n        reason: a transfer over one euro\n",
    ),
    "tools/shaped.yml": tool(
      "shaped",
      "  input_schema:\n    $schema: https://json-schema.org/draft/2020-12/schema\n    type: object\n    $defs:\n      point: {type: object, properties: {x: {type: number}}, required: [x]}\n    properties:\n      at: {$ref: '#/$defs/point'}\n    additionalProperties: false\n",
    ),
    "resources/note.yml": 'mxcp: 1\nresource:\n  uri: "notes://{id}"\n  name: note\n  description: a note\n  mime_type: text/plain\n  parameters:\n    - name: id\n      type: string\n      description: id\n      enum: [alpha, beta, gamma]\n  source:\n    file: ../handlers/h.ts\n',
    "resources/logo.yml": 'mxcp: 1\nresource:\n  uri: "files://logo"\n  name: logo\n  description: the logo\n  mime_type: image/png\n  source:\n    file: ../handlers/h.ts\n',
    "resources/plain.yml": 'mxcp: 1\nresource:\n  uri: "files://plain"\n  name: plain\n  description: plain text\n  source:\n    file: ../handlers/h.ts\n',
    "prompts/look.yml":
      "mxcp: 1\nprompt:\n  name: look\n  description: look at things\n  parameters:\n    - name: id\n      type: string\n      description: which note\n      examples: [alpha, beta, albatross]\n  messages:\n    - type: image\n      file: ../assets/pixel.png\n    - type: resource\n      uri: \"notes://{{ id }}\"\n    - prompt: \"Compare the two for {{ id }}.\"\n",
  });
  writeFileSync(join(root, "assets", "pixel.png"), PNG);
  return root;
}

let server: HttpServerProcess;

interface Asked {
  sampled: unknown[];
  elicited: unknown[];
}

async function connect(capabilities: Record<string, unknown>, answer?: (params: unknown) => ElicitResult): Promise<{ client: Client; asked: Asked }> {
  const client = new Client({ name: "caps-test", version: "1" }, { capabilities });
  const asked: Asked = { sampled: [], elicited: [] };
  if (capabilities.sampling) {
    client.setRequestHandler(CreateMessageRequestSchema, async (req) => {
      asked.sampled.push(req.params);
      return { role: "assistant", model: "test-model", content: { type: "text", text: "forty-two" }, stopReason: "endTurn" };
    });
  }
  if (capabilities.elicitation) {
    client.setRequestHandler(ElicitRequestSchema, async (req) => {
      asked.elicited.push(req.params);
      return answer ? answer(req.params) : { action: "accept", content: { colour: "blue" } };
    });
  }
  await client.connect(new StreamableHTTPClientTransport(new URL(server.url)));
  return { client, asked };
}

const text = (r: CallToolResult) => r.content.map((c) => (c.type === "text" ? c.text : "")).join("\n");

beforeAll(async () => {
  const root = project();
  server = await startHttpServer(root, ["--confirm-destructive"]);
}, 60_000);
afterAll(async () => {
  await server?.stop();
});

describe("content a handler returns", () => {
  it("an image reaches the client as an image block whose bytes are the file's", async () => {
    const { client } = await connect({});
    const r = (await client.callTool({ name: "pixel", arguments: {} })) as CallToolResult;
    expect(r.isError ?? false).toBe(false);
    expect(r.content).toHaveLength(1);
    const block = r.content[0]!;
    expect(block.type).toBe("image");
    if (block.type === "image") {
      expect(block.mimeType).toBe("image/png");
      expect(Buffer.from(block.data, "base64").equals(PNG)).toBe(true);
    }
    await client.close();
  });

  it("content.with: the typed value as structured content and text, then the blocks", async () => {
    const { client } = await connect({});
    const r = (await client.callTool({ name: "report", arguments: {} })) as CallToolResult;
    expect(r.structuredContent).toEqual({ id: 7, rows: 2 });
    expect(r.content.map((c) => c.type)).toEqual(["text", "resource"]);
    expect(JSON.parse((r.content[0] as { text: string }).text)).toEqual({ id: 7, rows: 2 });
    expect(r.content[1]).toEqual({ type: "resource", resource: { uri: "app://report/7", mimeType: "text/csv", text: "a,b\n1,2" } });
    await client.close();
  });

  it("blocks without a value where the tool declares a return type: an error naming content.with", async () => {
    const { client } = await connect({});
    const r = (await client.callTool({ name: "undeclared", arguments: {} })) as CallToolResult;
    expect(r.isError).toBe(true);
    expect(text(r)).toContain("return content.with(value, …blocks)");
    await client.close();
  });

  it("hostile: an answer shaped like an image block, not made by content.*, stays data (JSON text)", async () => {
    const { client } = await connect({});
    const r = (await client.callTool({ name: "forged", arguments: {} })) as CallToolResult;
    expect(r.content.map((c) => c.type)).toEqual(["text"]);
    expect(JSON.parse(text(r))).toMatchObject({ type: "image", mimeType: "image/png" });
    await client.close();
  });
});

describe("sampling and elicitation from a handler", () => {
  it("sampling: the client's model answers the handler; a client without sampling gets an error object saying so", async () => {
    const { client, asked } = await connect({ sampling: {} });
    const r = (await client.callTool({ name: "ask_model", arguments: { question: "six times seven?" } })) as CallToolResult;
    expect(text(r)).toBe("test-model: forty-two");
    expect(asked.sampled).toEqual([expect.objectContaining({ messages: [{ role: "user", content: { type: "text", text: "six times seven?" } }], maxTokens: 50 })]);
    await client.close();
    const bare = await connect({});
    const refused = (await bare.client.callTool({ name: "ask_model", arguments: { question: "x" } })) as CallToolResult;
    expect(refused.isError).toBe(true);
    expect(text(refused)).toContain("The MCP client did not declare sampling");
    await bare.client.close();
  });

  it("elicitation: accept, decline and cancel reach the handler; a second session is never asked", async () => {
    const answers: ElicitResult[] = [{ action: "accept", content: { colour: "red" } }, { action: "decline" }, { action: "cancel" }];
    const first = await connect({ elicitation: {} }, () => answers.shift()!);
    const second = await connect({ elicitation: {} });
    const results = [];
    for (let i = 0; i < 3; i++) results.push(text((await first.client.callTool({ name: "ask_user", arguments: {} })) as CallToolResult));
    expect(results).toEqual(["accept:red", "decline:-", "cancel:-"]);
    expect(first.asked.elicited).toHaveLength(3);
    expect(first.asked.elicited[0]).toMatchObject({ message: "Pick a colour", requestedSchema: { properties: { colour: { enum: ["red", "blue"] } } } });
    expect(second.asked.elicited).toEqual([]);
    await first.client.close();
    await second.client.close();
  });

  it("elicitation: an answer that does not fit the form is refused before the handler sees it", async () => {
    const { client } = await connect({ elicitation: {} }, () => ({ action: "accept", content: { colour: "green" } }));
    const r = (await client.callTool({ name: "ask_user", arguments: {} })) as CallToolResult;
    expect(r.isError).toBe(true);
    expect(text(r)).toContain("does not match requested schema");
    await client.close();
  });
});

describe("resources", () => {
  it("a fixed URI, bytes as a blob, a template's variable; an unknown URI is an error", async () => {
    const { client } = await connect({});
    expect((await client.readResource({ uri: "files://plain" })).contents).toEqual([{ uri: "files://plain", mimeType: "text/plain", text: "plain text" }]);
    const logo = (await client.readResource({ uri: "files://logo" })).contents[0] as { blob: string; mimeType: string };
    expect(logo.mimeType).toBe("image/png");
    expect(Buffer.from(logo.blob, "base64").equals(PNG)).toBe(true);
    expect((await client.readResource({ uri: "notes://alpha" })).contents).toEqual([{ uri: "notes://alpha", mimeType: "text/plain", text: "note alpha" }]);
    await expect(client.readResource({ uri: "files://nothing" })).rejects.toThrow(/Unknown resource: files:\/\/nothing/);
    await client.close();
  });

  it("a change is sent to the sessions that subscribed to that URI, and no other; subscribing to an unknown URI is refused", async () => {
    const watcher = await connect({});
    const other = await connect({});
    const seen: { watcher: string[]; other: string[] } = { watcher: [], other: [] };
    watcher.client.setNotificationHandler(ResourceUpdatedNotificationSchema, (n) => void seen.watcher.push(n.params.uri));
    other.client.setNotificationHandler(ResourceUpdatedNotificationSchema, (n) => void seen.other.push(n.params.uri));
    await watcher.client.subscribeResource({ uri: "notes://alpha" });
    await other.client.subscribeResource({ uri: "notes://beta" });
    await expect(other.client.subscribeResource({ uri: "files://nothing" })).rejects.toThrow(/Unknown resource/);
    await other.client.callTool({ name: "touch_note", arguments: { id: "alpha" } });
    await other.client.callTool({ name: "touch_note", arguments: { id: "gamma" } });
    for (let i = 0; i < 40 && seen.watcher.length === 0; i++) await new Promise((r) => setTimeout(r, 25));
    expect(seen.watcher).toEqual(["notes://alpha"]);
    await watcher.client.unsubscribeResource({ uri: "notes://alpha" });
    await other.client.callTool({ name: "touch_note", arguments: { id: "alpha" } });
    await other.client.callTool({ name: "touch_note", arguments: { id: "beta" } });
    for (let i = 0; i < 40 && seen.other.length === 0; i++) await new Promise((r) => setTimeout(r, 25));
    expect(seen.other).toEqual(["notes://beta"]);
    expect(seen.watcher).toEqual(["notes://alpha"]);
    await watcher.client.close();
    await other.client.close();
  });
});

describe("prompts and completions", () => {
  it("a prompt's image comes from the project's file, its resource message reads the project's resource", async () => {
    const { client } = await connect({});
    const r = await client.getPrompt({ name: "look", arguments: { id: "beta" } });
    expect(r.messages.map((m) => m.content.type)).toEqual(["image", "resource", "text"]);
    const image = r.messages[0]!.content as { data: string; mimeType: string };
    expect(image.mimeType).toBe("image/png");
    expect(Buffer.from(image.data, "base64").equals(PNG)).toBe(true);
    expect(r.messages[1]!.content).toEqual({ type: "resource", resource: { uri: "notes://beta", mimeType: "text/plain", text: "note beta" } });
    expect(r.messages[2]!.content).toEqual({ type: "text", text: "Compare the two for beta." });
    await client.close();
  });

  it("completion/complete offers a parameter's enum or examples, those starting with what was typed first; an unknown prompt is an error", async () => {
    const { client } = await connect({});
    expect((await client.complete({ ref: { type: "ref/prompt", name: "look" }, argument: { name: "id", value: "al" } })).completion).toEqual({ values: ["alpha", "albatross"], total: 2, hasMore: false });
    expect((await client.complete({ ref: { type: "ref/resource", uri: "notes://{id}" }, argument: { name: "id", value: "" } })).completion.values).toEqual(["alpha", "beta", "gamma"]);
    expect((await client.complete({ ref: { type: "ref/resource", uri: "notes://{id}" }, argument: { name: "id", value: "et" } })).completion.values).toEqual(["beta"]);
    await expect(client.complete({ ref: { type: "ref/prompt", name: "nothing" }, argument: { name: "id", value: "" } })).rejects.toThrow(/Unknown prompt: nothing/);
    await client.close();
  });

  it("a parameter's `complete` names the tool that completes it, given what was typed and the other arguments it declares", async () => {
    const { client } = await connect({});
    const ref = { type: "ref/prompt" as const, name: "tagged" };
    expect((await client.complete({ ref, argument: { name: "tag", value: "r" } })).completion.values).toEqual(["red", "rose", "ruby"]);
    expect((await client.complete({ ref, argument: { name: "tag", value: "ru" }, context: { arguments: { kind: "gem", broken: "x" } } })).completion.values).toEqual(["gem:ruby"]);
    await expect(client.complete({ ref, argument: { name: "broken", value: "" } })).rejects.toThrow(/come from the tool no_such_tool, which this project does not serve/);
    await client.close();
  });
});

describe("an input schema written in JSON Schema 2020-12", () => {
  it("is listed as written and checks the arguments, naming the parameter and the rule", async () => {
    const { client } = await connect({});
    const listed = (await client.listTools()).tools.find((t) => t.name === "shaped")!;
    expect(listed.inputSchema).toMatchObject({ $schema: "https://json-schema.org/draft/2020-12/schema", $defs: { point: { required: ["x"] } }, additionalProperties: false });
    expect(text((await client.callTool({ name: "shaped", arguments: { at: { x: 1.5 } } })) as CallToolResult)).toBe('{"at":{"x":1.5}}');
    const extra = (await client.callTool({ name: "shaped", arguments: { at: { x: 1 }, sneaky: true } })) as CallToolResult;
    expect(extra.isError).toBe(true);
    expect(text(extra)).toContain("unknown parameter 'sneaky'");
    const wrong = (await client.callTool({ name: "shaped", arguments: { at: { x: "one" } } })) as CallToolResult;
    expect(text(wrong)).toContain("Parameter 'at.x' must be number");
    await client.close();
  });

  it("hostile: a $ref to another document is a load error, and nothing is fetched", async () => {
    let fetched = 0;
    const api = createServer((_req, res) => {
      fetched++;
      res.writeHead(200, { "content-type": "application/json" }).end('{"type":"object"}');
    });
    await new Promise<void>((r) => api.listen(0, "127.0.0.1", r));
    try {
      const url = `http://127.0.0.1:${(api.address() as AddressInfo).port}/schema.json`;
      const root = writeProject({
        "mxcp-site.yml": "mxcp: 1\nproject: refs\nprofile: default\n",
        "handlers/h.ts": "export const remote = () => 1;\n",
        "tools/remote.yml": tool("remote", `  input_schema:\n    type: object\n    properties:\n      a: {$ref: "${url}"}\n`),
      });
      const r = await runCli(["validate"], { cwd: root });
      expect(r.stdout + r.stderr).toMatch(/tool\.input_schema: Invalid input schema: can't resolve reference/);
      expect(r.stdout).toContain("0 of 1 endpoints valid");
      expect(fetched).toBe(0);
    } finally {
      api.close();
    }
  });
});

describe("serve --confirm-destructive and confirm policies", () => {
  it("a destructive tool runs when the user confirms, and not when they decline, dismiss, or untick", async () => {
    const answers: ElicitResult[] = [{ action: "accept", content: { confirm: true } }, { action: "decline" }, { action: "cancel" }, { action: "accept", content: { confirm: false } }];
    const { client, asked } = await connect({ elicitation: {} }, () => answers.shift()!);
    const results = [];
    for (let i = 0; i < 4; i++) results.push((await client.callTool({ name: "delete_note", arguments: { id: "alpha" } })) as CallToolResult);
    expect(text(results[0]!)).toBe("deleted alpha");
    expect(results.slice(1).map((r) => r.isError)).toEqual([true, true, true]);
    expect(results.slice(1).map(text)).toEqual([
      expect.stringContaining("The user declined: delete_note was not run"),
      expect.stringContaining("The user dismissed the question: delete_note was not run"),
      expect.stringContaining("The user did not tick Run it: delete_note was not run"),
    ]);
    expect(asked.elicited[0]).toMatchObject({ message: 'delete_note (id="alpha"): this tool changes or deletes data. Run it?' });
    await client.close();
  });

  it("a client that cannot ask is refused, and the tool does not run", async () => {
    const { client } = await connect({});
    const r = (await client.callTool({ name: "delete_note", arguments: { id: "alpha" } })) as CallToolResult;
    expect(r.isError).toBe(true);
    expect(text(r)).toContain("this MCP client cannot ask (it did not declare elicitation); it was not run");
    await client.close();
  });

  it("a confirm policy asks only when its condition holds, with its reason", async () => {
    const { client, asked } = await connect({ elicitation: {} }, () => ({ action: "accept", content: { confirm: true } }));
    expect(text((await client.callTool({ name: "transfer", arguments: { amount: 50 } })) as CallToolResult)).toBe("sent 50");
    expect(asked.elicited).toEqual([]);
    expect(text((await client.callTool({ name: "transfer", arguments: { amount: 500 } })) as CallToolResult)).toBe("sent 500");
    expect(asked.elicited).toEqual([expect.objectContaining({ message: "transfer (amount=500): a transfer over one euro. Run it?" })]);
    await client.close();
  });
});

describe("a prompt's file outside the project", () => {
  it("hostile: a link leading out of the project is a load error naming the message", async () => {
    const outside = tempDir();
    writeFileSync(join(outside, "secret.png"), PNG);
    const root = writeProject({
      "mxcp-site.yml": "mxcp: 1\nproject: esc\nprofile: default\n",
      "prompts/p.yml": "mxcp: 1\nprompt:\n  name: p\n  description: p\n  messages:\n    - type: image\n      file: ../assets/link.png\n",
      "assets/.keep": "",
    });
    symlinkSync(join(outside, "secret.png"), join(root, "assets", "link.png"));
    const r = await runCli(["validate"], { cwd: root });
    expect(r.stdout + r.stderr).toContain("prompt.messages.0.file: The image file is outside the project: ../assets/link.png");
    expect(r.stdout).toContain("0 of 1 endpoints valid");
  });
});

/** The events of an SSE body: id, retry and data of each. */
function sseEvents(body: string): { id?: string; retry?: number; data: string }[] {
  return body
    .split(/\n\n/)
    .filter((block) => block.trim() && !block.split("\n").every((l) => l.startsWith(":")))
    .map((block) => {
      const event: { id?: string; retry?: number; data: string } = { data: "" };
      for (const line of block.split("\n")) {
        const [field, ...rest] = line.split(":");
        const value = rest.join(":").replace(/^ /, "");
        if (field === "id") event.id = value;
        if (field === "retry") event.retry = Number(value);
        if (field === "data") event.data += value;
      }
      return event;
    });
}

describe("resumable HTTP streams (SEP-1699)", () => {
  it("a 2025-11-25 client gets a priming event with retry; a released stream is resumed with Last-Event-ID; another session's id replays nothing", async () => {
    const session = async () => {
      const transport = new StreamableHTTPClientTransport(new URL(server.url));
      const client = new Client({ name: "sse", version: "1" });
      await client.connect(transport);
      return { client, id: transport.sessionId! };
    };
    const a = await session();
    const b = await session();
    const headers = (sid: string) => ({ "content-type": "application/json", accept: "application/json, text/event-stream", "mcp-session-id": sid, "mcp-protocol-version": "2025-11-25" });
    const post = await fetch(server.url, { method: "POST", headers: headers(a.id), body: JSON.stringify({ jsonrpc: "2.0", id: 77, method: "tools/call", params: { name: "released", arguments: {} } }) });
    expect(post.headers.get("content-type")).toContain("text/event-stream");
    const first = sseEvents(await post.text());
    // The stream closed before the answer: only the priming event (an id, the retry time, no data) came.
    expect(first).toEqual([{ id: expect.any(String), retry: 2000, data: "" }]);
    const lastId = first[0]!.id!;
    // Another session cannot pick up this session's stream.
    const stolen = await fetch(server.url, { headers: { ...headers(b.id), accept: "text/event-stream", "last-event-id": lastId } });
    expect(stolen.status).toBe(400);
    expect(await stolen.text()).not.toContain("released: true");
    const resumed = await fetch(server.url, { headers: { ...headers(a.id), accept: "text/event-stream", "last-event-id": lastId } });
    expect(resumed.status).toBe(200);
    const reader = resumed.body!.getReader();
    let text = "";
    const until = Date.now() + 10_000;
    while (!text.includes('"id":77') && Date.now() < until) {
      const { value, done } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
    await reader.cancel();
    const answer = sseEvents(text).find((e) => e.data.includes('"id":77'))!;
    expect(JSON.parse(answer.data).result.content).toEqual([{ type: "text", text: "released: true" }]);
    await a.client.close();
    await b.client.close();
  });
});
