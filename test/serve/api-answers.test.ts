// Issue 24 item 8: a real API answers a little differently from its document (Twilio's `price: number` sent as
// "-0.0025"). A generated tool converts what loses nothing, returns the rest as sent with a note naming the
// field, and keeps structuredContent valid against its schema (the SDK client checks it); --strict-output
// keeps MXCP's failure. A stand-in API on 127.0.0.1 sends the answers.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fitOutput } from "../../src/types/fit-output.js";
import { runCli, tempDir } from "../helpers.js";
import { stdioClient, writeUserConfig } from "./servers.js";

const spec = {
  openapi: "3.0.3",
  info: { title: "Calls", version: "1" },
  servers: [{ url: "https://api.calls.invalid" }],
  components: { securitySchemes: { key: { type: "apiKey", in: "header", name: "x-key" } } },
  security: [{ key: [] }],
  paths: {
    "/recordings/{sid}": {
      get: {
        operationId: "fetchRecording",
        parameters: [{ name: "sid", in: "path", required: true, schema: { type: "string" } }],
        responses: {
          "200": {
            description: "A recording",
            content: {
              "application/json": {
                schema: {
                  type: "object",
                  properties: {
                    sid: { type: "string" },
                    price: { type: "number" },
                    duration: { type: "integer" },
                    public: { type: "boolean" },
                    channels: { type: "integer" },
                    meta: { type: "object", properties: { region: { type: "string" } } },
                    tags: { type: "array", items: { type: "string" } },
                  },
                },
              },
            },
          },
        },
      },
    },
  },
};

// What the stand-in sends for each sid: the document's types in other clothes, and one that cannot fit.
const ANSWERS: Record<string, unknown> = {
  lossless: { sid: 12345, price: "-0.0025", duration: "61", public: "true", meta: '{"region":"us1"}', tags: '["a","b"]' },
  misfit: { sid: "RE1", price: "free", duration: 3, channels: "two", public: false },
};

let api: Server;
let root = "";

beforeAll(async () => {
  api = createServer((req, res) => {
    const sid = /\/recordings\/(\w+)$/.exec(req.url ?? "")?.[1] ?? "";
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(ANSWERS[sid] ?? {}));
  });
  await new Promise<void>((r) => api.listen(0, "127.0.0.1", r));
  root = tempDir("mxcp-gen-api-answers-");
  writeFileSync(join(root, "spec.json"), JSON.stringify(spec));
  const gen = await runCli(["openapi", "spec.json", "--name", "calls", "--out", root], { cwd: root });
  expect(gen.code, gen.stderr).toBe(0);
  writeUserConfig(root, "calls", { base_url: `http://127.0.0.1:${(api.address() as AddressInfo).port}`, api_key: "k" });
}, 120_000);
afterAll(() => {
  api.closeAllConnections();
  api.close();
});

const env = () => ({ MXCP_CONFIG: join(root, "user.yml") });

describe("an API's answer that differs from its document", () => {
  it("is converted where nothing is lost: numbers, booleans, a number as a string, JSON text as the object or array", async () => {
    const r = await runCli(["run", "tool", "calls_fetch_recording", "-p", "sid=lossless", "--json-output"], { cwd: root, env: env() });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).result).toEqual({ sid: "12345", price: -0.0025, duration: 61, public: true, meta: { region: "us1" }, tags: ["a", "b"] });
    expect(r.stderr).not.toContain("differs from its document");
  }, 60_000);

  it("that cannot be converted is returned as sent with a note; --strict-output fails it as MXCP does", async () => {
    const r = await runCli(["run", "tool", "calls_fetch_recording", "-p", "sid=misfit", "--json-output"], { cwd: root, env: env() });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).result).toMatchObject({ sid: "RE1", price: "free", duration: 3, channels: "two", public: false });
    expect(r.stderr).toContain("Note: the API's answer differs from its document, and is given as the API sent it: 'price': Expected number, got str; 'channels': Expected integer, got str");
    const strict = await runCli(["run", "tool", "calls_fetch_recording", "-p", "sid=misfit", "--strict-output", "--json-output"], { cwd: root, env: env() });
    expect(strict.code).toBe(1);
    expect(JSON.parse(strict.stdout).error).toContain("Output validation failed: Property 'price': Expected number, got str");
  }, 60_000);

  it("over MCP: the note in the content, structuredContent valid against the output schema with the misfits null", async () => {
    const { client } = await stdioClient(root, [], env());
    try {
      // The SDK client checks structuredContent against the outputSchema it listed: an invalid one would throw here.
      expect((await client.listTools()).tools.find((t) => t.name === "calls_fetch_recording")?.outputSchema).toBeDefined();
      const r = (await client.callTool({ name: "calls_fetch_recording", arguments: { sid: "misfit" } })) as CallToolResult;
      expect(r.isError ?? false).toBe(false);
      expect(r.structuredContent).toMatchObject({ sid: "RE1", price: null, duration: 3, channels: null, public: false });
      const texts = r.content.map((c) => (c.type === "text" ? c.text : ""));
      expect(JSON.parse(texts[0]!)).toMatchObject({ price: "free", channels: "two" });
      expect(texts.at(-1)).toContain("'price': Expected number, got str");
      const ok = (await client.callTool({ name: "calls_fetch_recording", arguments: { sid: "lossless" } })) as CallToolResult;
      expect(ok.structuredContent).toMatchObject({ price: -0.0025, meta: { region: "us1" } });
      expect(ok.content).toHaveLength(1);
    } finally {
      await client.close();
    }
    const { client: strict } = await stdioClient(root, ["--strict-output"], env());
    try {
      const r = (await strict.callTool({ name: "calls_fetch_recording", arguments: { sid: "misfit" } })) as CallToolResult;
      expect(r.isError).toBe(true);
    } finally {
      await strict.close();
    }
  }, 120_000);
});

describe("fitOutput", () => {
  it("counts an array's misfits together and keeps what it cannot convert", () => {
    const fitted = fitOutput(
      [{ price: "1.5" }, { price: "n/a" }, { price: "x" }],
      { type: "array", items: { type: "object", properties: { price: { type: "number" } } } },
    );
    expect(fitted.value).toEqual([{ price: 1.5 }, { price: "n/a" }, { price: "x" }]);
    expect(fitted.structured).toEqual([{ price: 1.5 }, { price: null }, { price: null }]);
    expect(fitted.misfits).toEqual(["'[].price': Expected number, got str (2 places)"]);
  });

  it("keeps its note bounded for an answer with thousands of fields that do not fit", () => {
    const answer = Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`odd_${i}`, i]));
    const fitted = fitOutput(answer, { type: "object", properties: {}, additionalProperties: false });
    expect(fitted.misfits).toHaveLength(21);
    expect(fitted.misfits.at(-1)).toBe("and 4980 more field(s)");
    expect(fitted.value).toEqual(answer);
  });

  it("never turns an integer beyond 2^53, or a decimal, into a lossy integer", () => {
    expect(fitOutput("9007199254740993", { type: "integer" }).misfits).toHaveLength(1);
    expect(fitOutput("1.5", { type: "integer" }).misfits).toHaveLength(1);
    expect(fitOutput("TRUE", { type: "boolean" }).misfits).toHaveLength(1);
  });
});
