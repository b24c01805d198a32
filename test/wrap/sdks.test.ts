import { execFile } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { createServer as createHttpServer, type IncomingMessage } from "node:http";
import { createServer as createTcpServer, type Socket } from "node:net";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { promisify } from "node:util";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { REPO_ROOT, runCli } from "../helpers.js";
import { project } from "./sdk-project.js";
import { stdioClient, writeUserConfig } from "../serve/servers.js";

const run = promisify(execFile);


const errorOf = (r: unknown) => JSON.parse(((r as CallToolResult).content[0] as { text: string }).text) as Record<string, unknown>;

describe("wrap stripe against a local mock of its API", () => {
  it("sends what Stripe's API expects, returns plain JSON, maps errors, and leaks no key", async () => {
    const seen: { method: string; url: string; auth?: string; body: string }[] = [];
    const mock = createHttpServer((req: IncomingMessage, res) => {
      let body = "";
      req.on("data", (d: Buffer) => (body += d));
      req.on("end", () => {
        seen.push({ method: req.method!, url: req.url!, auth: req.headers.authorization, body });
        res.setHeader("content-type", "application/json");
        res.setHeader("request-id", "req_123");
        if (req.method === "POST" && req.url === "/v1/customers") {
          res.end(JSON.stringify({ id: "cus_1", object: "customer", email: "a@example.com", metadata: { order: "6735" } }));
        } else if (req.url?.startsWith("/v1/customers/cus_missing")) {
          res.statusCode = 404;
          res.end(JSON.stringify({ error: { type: "invalid_request_error", code: "resource_missing", param: "id", message: "No such customer: 'cus_missing'" } }));
        } else if (req.url?.startsWith("/v1/customers")) {
          res.end(JSON.stringify({ object: "list", data: [{ id: "cus_1", object: "customer" }], has_more: false, url: "/v1/customers" }));
        } else {
          res.statusCode = 500;
          res.end("{}");
        }
      });
    });
    await new Promise<void>((r) => mock.listen(0, "127.0.0.1", r));
    const base = `http://127.0.0.1:${(mock.address() as AddressInfo).port}`;
    const dir = project("stripe");
    const gen = await runCli(["wrap", "stripe", "--include", "customers.*"], { cwd: dir });
    expect(gen.code, gen.stderr).toBe(0);
    writeUserConfig(dir, "stripe", { api_key: "sk_test_canary_123456", base_url: base });
    const { client, stderr } = await stdioClient(dir);
    try {
      const created = (await client.callTool({ name: "stripe_customers_create", arguments: { email: "a@example.com", metadata: { order: "6735" } } })) as CallToolResult;
      expect(created.isError, JSON.stringify(created.content)).toBeFalsy();
      expect(created.structuredContent).toEqual({ id: "cus_1", object: "customer", email: "a@example.com", metadata: { order: "6735" } });
      const post = seen.find((s) => s.method === "POST")!;
      expect(post.auth).toBe("Bearer sk_test_canary_123456");
      expect(decodeURIComponent(post.body)).toBe("email=a@example.com&metadata[order]=6735");
      const list = await client.callTool({ name: "stripe_customers_list", arguments: { limit: 1 } });
      expect(list.structuredContent).toEqual({ object: "list", data: [{ id: "cus_1", object: "customer" }], has_more: false, url: "/v1/customers" });
      const missing = await client.callTool({ name: "stripe_customers_retrieve", arguments: { id: "cus_missing" } });
      expect(missing.isError).toBe(true);
      expect(errorOf(missing)).toMatchObject({ error: "stripe_error", type: "StripeInvalidRequestError", status: 404, code: "resource_missing", param: "id", request_id: "req_123", retryable: false });
    } finally {
      await client.close();
      mock.close();
    }
    // A connection failure names the host it could not reach, and what to do.
    writeUserConfig(dir, "stripe", { api_key: "sk_test_canary_123456", base_url: "http://127.0.0.1:9" });
    const down = await stdioClient(dir);
    try {
      const refused = await down.client.callTool({ name: "stripe_customers_list", arguments: {} });
      expect(refused.isError).toBe(true);
      expect(errorOf(refused)).toMatchObject({ type: "StripeConnectionError", retryable: true, message: expect.stringContaining("connecting to 127.0.0.1:9: ECONNREFUSED"), fix: expect.stringContaining("127.0.0.1:9 is reachable") });
    } finally {
      await down.client.close();
    }
    expect(stderr()).not.toContain("sk_test_canary_123456");
  });
});

describe("wrap ioredis: a long-lived connection made in onInit and closed in onShutdown", () => {
  it("connects once, runs commands on it, and quits on shutdown", async () => {
    // A tiny RESP server standing in for Redis: PING, SET, GET, QUIT, and whatever the client sends first.
    const store = new Map<string, string>();
    const log: string[] = [];
    let connections = 0;
    const server = createTcpServer((socket: Socket) => {
      connections++;
      let buffer = "";
      socket.on("data", (d: Buffer) => {
        buffer += d.toString();
        for (;;) {
          const m = /^\*(\d+)\r\n/.exec(buffer);
          if (!m) return;
          let rest = buffer.slice(m[0].length);
          const parts: string[] = [];
          for (let i = 0; i < Number(m[1]); i++) {
            const b = /^\$(\d+)\r\n/.exec(rest);
            if (!b || rest.length < b[0].length + Number(b[1]) + 2) return;
            parts.push(rest.slice(b[0].length, b[0].length + Number(b[1])));
            rest = rest.slice(b[0].length + Number(b[1]) + 2);
          }
          buffer = rest;
          const [cmd, ...args] = parts;
          log.push(cmd!.toUpperCase());
          switch (cmd!.toUpperCase()) {
            case "SET":
              store.set(args[0]!, args[1]!);
              socket.write("+OK\r\n");
              break;
            case "GET": {
              const v = store.get(args[0]!);
              socket.write(v === undefined ? "$-1\r\n" : `$${Buffer.byteLength(v)}\r\n${v}\r\n`);
              break;
            }
            case "QUIT":
              socket.end("+OK\r\n");
              break;
            case "INFO": {
              const info = "# Server\r\nloading:0\r\n";
              socket.write(`$${Buffer.byteLength(info)}\r\n${info}\r\n`);
              break;
            }
            default:
              socket.write("+OK\r\n");
          }
        }
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const url = `redis://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const dir = project("ioredis");
    const gen = await runCli(["wrap", "ioredis", "--include", "get", "--include", "set"], { cwd: dir });
    expect(gen.code, gen.stderr).toBe(0);
    expect(gen.stdout).toContain("ioredis@5.4.2: 2 tools");
    writeUserConfig(dir, "redis", { url });
    const { client } = await stdioClient(dir);
    try {
      const set = await client.callTool({ name: "redis_set", arguments: { key: "greeting", value: "hello" } });
      expect(set.structuredContent, JSON.stringify(set)).toEqual({ result: "OK" });
      const get = await client.callTool({ name: "redis_get", arguments: { key: "greeting" } });
      expect(get.structuredContent).toEqual({ result: "hello" });
      expect(connections).toBe(1);
    } finally {
      await client.close();
    }
    await new Promise((r) => setTimeout(r, 200));
    expect(log).toContain("QUIT");
    server.close();
  });
});

/** A local server answering JSON by path, recording what it saw. */
async function jsonServer(routes: Record<string, [number, unknown]>) {
  const seen: { method: string; url: string; headers: IncomingMessage["headers"] }[] = [];
  const bodies: string[] = [];
  const server = createHttpServer((req, res) => {
    seen.push({ method: req.method!, url: req.url!, headers: req.headers });
    let body = "";
    req.on("data", (d: Buffer) => (body += d));
    req.on("end", () => {
      bodies.push(body);
      const path = req.url!.split("?")[0]!;
      const [status, answer] = routes[path] ?? [404, { message: "Not Found", error: { message: "Not Found", type: "not_found" } }];
      res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(answer));
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, bodies, close: () => server.close() };
}

describe("wrap openai and @octokit/rest against local servers", () => {
  it("openai: a page becomes {data, has_more}; a 404 becomes its error object", async () => {
    const api = await jsonServer({ "/v1/models": [200, { object: "list", data: [{ id: "gpt-test", object: "model", created: 1, owned_by: "me" }] }] });
    const dir = project("openai");
    expect((await runCli(["wrap", "openai", "--include", "models.*"], { cwd: dir })).code).toBe(0);
    writeUserConfig(dir, "openai", { api_key: "sk-canary-openai", base_url: api.base });
    const { client, stderr } = await stdioClient(dir);
    try {
      const list = await client.callTool({ name: "openai_models_list", arguments: {} });
      expect(list.structuredContent).toEqual({ data: [{ id: "gpt-test", object: "model", created: 1, owned_by: "me" }], has_more: false });
      expect(api.seen[0]).toMatchObject({ method: "GET", url: "/v1/models", headers: { authorization: "Bearer sk-canary-openai" } });
      const missing = await client.callTool({ name: "openai_models_retrieve", arguments: { model: "nope" } });
      expect(missing.isError).toBe(true);
      expect(errorOf(missing)).toMatchObject({ error: "openai_error", type: "not_found", status: 404 });
    } finally {
      await client.close();
      api.close();
    }
    expect(stderr()).not.toContain("sk-canary-openai");
  });

  it("openai: chat.completions.create takes the canonical [{role: 'user', content: 'hi'}]", async () => {
    const completion = { id: "chatcmpl-1", object: "chat.completion", created: 1, model: "gpt-test", choices: [{ index: 0, finish_reason: "stop", message: { role: "assistant", content: "hello" } }] };
    const api = await jsonServer({ "/v1/chat/completions": [200, completion] });
    const dir = project("openai");
    expect((await runCli(["wrap", "openai", "--include", "chat.completions.create"], { cwd: dir })).code).toBe(0);
    const tool = parse(readFileSync(join(dir, "tools/openai/openai_chat_completions_create.yml"), "utf8")) as { tool: { parameters: { name: string; items?: { properties: Record<string, { type: string; enum?: string[] }> } }[] } };
    const messages = tool.tool.parameters.find((p) => p.name === "messages")!;
    // Every message type's role, and content as text (the array form is noted in the description).
    expect(messages.items!.properties.role!.enum).toEqual(expect.arrayContaining(["developer", "system", "user", "assistant", "tool"]));
    expect(messages.items!.properties.content!.type).toBe("string");
    writeUserConfig(dir, "openai", { api_key: "sk-canary-chat", base_url: api.base });
    const { client } = await stdioClient(dir);
    const bodies: string[] = [];
    try {
      const r = (await client.callTool({ name: "openai_chat_completions_create", arguments: { model: "gpt-test", messages: [{ role: "user", content: "hi" }] } })) as CallToolResult;
      expect(r.isError, JSON.stringify(r.content)).toBeFalsy();
      expect(r.structuredContent).toMatchObject({ id: "chatcmpl-1", choices: [{ message: { content: "hello" } }] });
      expect(api.seen[0]).toMatchObject({ method: "POST", url: "/v1/chat/completions", headers: { authorization: "Bearer sk-canary-chat" } });
      bodies.push(...api.bodies);
    } finally {
      await client.close();
      api.close();
    }
    expect(JSON.parse(bodies[0]!)).toMatchObject({ model: "gpt-test", messages: [{ role: "user", content: "hi" }] });
  });

  it("@octokit/rest: the response's data is the result; a 404 becomes an HttpError object", async () => {
    const api = await jsonServer({ "/repos/octo/hello": [200, { id: 1, name: "hello", full_name: "octo/hello", private: false }] });
    const dir = project("@octokit/rest");
    expect((await runCli(["wrap", "@octokit/rest", "--include", "repos.get"], { cwd: dir })).code).toBe(0);
    writeUserConfig(dir, "github", { token: "ghp_canary_token", base_url: api.base });
    const { client } = await stdioClient(dir);
    try {
      const repo = await client.callTool({ name: "github_repos_get", arguments: { owner: "octo", repo: "hello" } });
      expect(repo.structuredContent).toEqual({ id: 1, name: "hello", full_name: "octo/hello", private: false });
      expect(api.seen[0]).toMatchObject({ method: "GET", url: "/repos/octo/hello", headers: { authorization: "token ghp_canary_token" } });
      const missing = await client.callTool({ name: "github_repos_get", arguments: { owner: "octo", repo: "nope" } });
      expect(missing.isError).toBe(true);
      expect(errorOf(missing)).toMatchObject({ error: "github_error", type: "HttpError", status: 404 });
    } finally {
      await client.close();
      api.close();
    }
  });
});

describe("wrap compiles against real SDKs", () => {
  it.each([
    ["stripe", []],
    ["openai", ["--cache", "5m"]],
    ["@octokit/rest", []],
    ["date-fns", ["--sync"]],
  ] as [string, string[]][])("%s", async (pkg, flags) => {
    const dir = project(pkg);
    const gen = await runCli(["wrap", pkg, ...flags], { cwd: dir });
    expect(gen.code, gen.stderr).toBe(0);
    const tsc = join(REPO_ROOT, "node_modules", "typescript", "bin", "tsc");
    const { stdout } = await run(process.execPath, [tsc, "-p", join(dir, "tsconfig.json"), "--noEmit", "--noUnusedLocals"], { maxBuffer: 32 * 1024 * 1024 }).catch((e: { stdout: string }) => e);
    expect(stdout.split("\n").slice(0, 10).join("\n")).toBe("");
    // The parameter-schema budget is a promise (16 KB per tool), kept by every tool of every SDK.
    const toolsDir = join(dir, "tools");
    for (const api of readdirSync(toolsDir)) {
      for (const file of readdirSync(join(toolsDir, api))) {
        const params = ((parse(readFileSync(join(toolsDir, api, file), "utf8")) as { tool: { parameters?: Record<string, unknown>[] } }).tool.parameters ?? []).map(({ name: _n, ...t }) => t);
        expect(JSON.stringify(params).length, file).toBeLessThanOrEqual(16 * 1024);
      }
    }
  });
});
