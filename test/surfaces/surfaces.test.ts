// Issue 14: a GitHub-sized project served with the defaults lists three tools, and an assistant-like client
// finds, describes and calls an operation against a local stand-in for the API; the code surface runs a
// snippet that calls three tools in one step, with policies, audit and redaction as for direct calls.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { generateOpenApiProject } from "../../src/pipeline/openapi.js";
import { REPO_ROOT, tempDir, writeProject } from "../helpers.js";
import { stdioClient, writeUserConfig } from "../serve/servers.js";

let api: Server;
let base = "";
const seen: string[] = [];

beforeAll(async () => {
  api = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    const url = new URL(req.url!, "http://x");
    const json = (body: unknown) => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(body));
    if (url.pathname === "/repos/octo/hello/pulls") return json([{ number: 1, title: "Fix", state: "open" }, { number: 2, title: "Docs", state: "open" }]);
    if (url.pathname === "/repos/octo/hello/issues") return json([{ number: 3, title: "Bug", state: "open" }]);
    if (url.pathname === "/users/octo") return json({ login: "octo", id: 7, public_repos: 12 });
    res.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ message: "Not Found" }));
  });
  await new Promise<void>((r) => api.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
});
afterAll(() => {
  api.closeAllConnections();
  api.close();
});

const connect = (root: string, args: string[], env: Record<string, string> = {}) => stdioClient(root, args, env);

const structured = (r: unknown) => (r as CallToolResult).structuredContent as Record<string, any>;

describe("a GitHub-sized project under the default surface", () => {
  let root: string;
  let client: Client;
  let stderr: () => string;

  beforeAll(async () => {
    root = tempDir("mxcp-gen-github-");
    await generateOpenApiProject(join(REPO_ROOT, "node_modules/@octokit/openapi/generated/api.github.com.json"), { out: root, name: "github" });
    writeUserConfig(root, "github", { base_url: base });
    ({ client, stderr } = await connect(root, []));
  }, 180_000);
  afterAll(async () => client?.close());

  it("lists exactly three tools in at most 8 KB, and says why on stderr", async () => {
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toEqual(["search_tools", "describe_tool", "call_tool"]);
    expect(JSON.stringify({ tools }).length).toBeLessThanOrEqual(8 * 1024);
    expect(stderr()).toMatch(/Surface: search \(auto: 1\d{3} tools, over 100/);
  });

  it("finds, describes and calls an operation against the local API", async () => {
    const found = structured(await client.callTool({ name: "search_tools", arguments: { query: "list pull requests of a repository" } }));
    const names = found.results.map((r: { name: string }) => r.name);
    expect(names.slice(0, 3), JSON.stringify(found.results.map((r: any) => [r.name, r.score]))).toContain("github_pulls_list");
    for (const r of found.results) expect(r.summary.length).toBeLessThanOrEqual(200);
    const described = structured(await client.callTool({ name: "describe_tool", arguments: { name: "github_pulls_list" } }));
    expect(Object.keys(described.inputSchema.properties)).toEqual(expect.arrayContaining(["owner", "repo", "state"]));
    expect(described.declaration).toMatch(/declare namespace tools \{[\s\S]*function github_pulls_list\(args: \{[\s\S]*owner: string;/);
    const called = (await client.callTool({ name: "call_tool", arguments: { name: "github_pulls_list", arguments: { owner: "octo", repo: "hello" } } })) as CallToolResult;
    expect(called.isError ?? false).toBe(false);
    expect(JSON.stringify(called.content)).toContain("Fix");
    expect(seen.some((s) => s.startsWith("GET /repos/octo/hello/pulls")), seen.join()).toBe(true);
  });

  it("an empty query lists the groups; an unknown name suggests the closest ones; bad arguments name the parameter", async () => {
    const groups = structured(await client.callTool({ name: "search_tools", arguments: { query: "" } })).groups;
    expect(groups.find((g: { name: string }) => g.name === "pulls")?.tools).toBeGreaterThan(10);
    const unknown = (await client.callTool({ name: "call_tool", arguments: { name: "github_pulls_lists", arguments: {} } })) as CallToolResult;
    expect(unknown.isError).toBe(true);
    expect(JSON.stringify(unknown.content)).toMatch(/Did you mean .*github_pulls_list/);
    const invalid = (await client.callTool({ name: "call_tool", arguments: { name: "github_pulls_list", arguments: { owner: "octo" } } })) as CallToolResult;
    expect(invalid.isError).toBe(true);
    expect(JSON.stringify(invalid.content)).toMatch(/repo/);
  });

  it("search is deterministic", async () => {
    const a = await client.callTool({ name: "search_tools", arguments: { query: "create an issue comment", limit: 25 } });
    const b = await client.callTool({ name: "search_tools", arguments: { query: "create an issue comment", limit: 25 } });
    expect(structured(a)).toEqual(structured(b));
    expect(structured(a).results).toHaveLength(25);
  });
});

describe("the code surface", () => {
  const CANARY = "canary-code-secret-9c1d";
  let root: string;
  let client: Client;

  beforeAll(async () => {
    root = writeProject({
      "mxcp-site.yml": "mxcp: 1\nproject: cs\nprofile: dev\nsecrets: [svc]\nprofiles:\n  dev:\n    audit: {enabled: true}\n",
      "user.yml": `mxcp: 1\nprojects:\n  cs:\n    profiles:\n      dev:\n        secrets:\n          - {name: svc, type: api, parameters: {api_key: ${CANARY}}}\n`,
      "tools/pulls.yml": "mxcp: 1\ntool:\n  name: pulls\n  description: Open pull requests\n  language: typescript\n  parameters: [{name: repo, type: string, description: the repo}]\n  return: {type: array, items: {type: object, properties: {number: {type: integer}, title: {type: string}}}}\n  source: {file: ../handlers/gh.ts}\n",
      "tools/issues.yml": "mxcp: 1\ntool:\n  name: issues\n  description: Open issues\n  language: typescript\n  parameters: [{name: repo, type: string, description: the repo}]\n  source: {file: ../handlers/gh.ts}\n",
      "tools/user.yml": "mxcp: 1\ntool:\n  name: user\n  description: A user\n  language: typescript\n  parameters: [{name: login, type: string, description: the login}]\n  source: {file: ../handlers/gh.ts}\n",
      "tools/admin_only.yml": "mxcp: 1\ntool:\n  name: admin_only\n  description: Needs an admin\n  parameters: []\n  source: {code: 'SELECT 1 AS x'}\n  policies:\n    input:\n      - {condition: \"user.role != 'admin'\", action: deny, reason: admins only}\n",
      "tools/leak.yml": "mxcp: 1\ntool:\n  name: leak\n  description: Returns the key\n  language: typescript\n  source: {file: ../handlers/gh.ts}\n",
      "handlers/gh.ts": `import { config } from "mxcp-gen/runtime";
const base = ${JSON.stringify(base)};
export async function pulls(a: { repo: string }) { return await (await fetch(base + "/repos/octo/" + a.repo + "/pulls")).json(); }
export async function issues(a: { repo: string }) { return await (await fetch(base + "/repos/octo/" + a.repo + "/issues")).json(); }
export async function user(a: { login: string }) { return await (await fetch(base + "/users/" + a.login)).json(); }
export async function leak() { return { key: config.getSecret("svc")!.api_key }; }
`,
    });
    ({ client } = await connect(root, ["--expose", "code"]));
  }, 60_000);
  afterAll(async () => client?.close());

  it("lists search_tools, describe_tool and run_code", async () => {
    expect((await client.listTools()).tools.map((t) => t.name)).toEqual(["search_tools", "describe_tool", "run_code"]);
  });

  it("one snippet calls three tools and aggregates their results; each call is audited under its own name", async () => {
    const code = `
      const [prs, issues, user] = await Promise.all([tools.pulls({ repo: "hello" }), tools.issues({ repo: "hello" }), tools.user({ login: "octo" })]);
      console.log("fetched", prs.length, issues.length);
      ({ open: prs.length + issues.length, titles: [...prs, ...issues].map((x: { title: string }) => x.title), repos: user.public_repos })`;
    const r = (await client.callTool({ name: "run_code", arguments: { code } })) as CallToolResult;
    expect(r.isError ?? false).toBe(false);
    expect(structured(r)).toEqual({ result: { open: 3, titles: ["Fix", "Docs", "Bug"], repos: 12 }, logs: ["fetched 2 1"], tool_calls: 3 });
    const audit = readFileSync(join(root, "audit", "logs-dev.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l) as { operation_name: string });
    expect(audit.map((a) => a.operation_name).sort()).toEqual(expect.arrayContaining(["issues", "pulls", "user"]));
  });

  it("input policies apply to calls from code; the code sees the denial as an error it can catch", async () => {
    const r = (await client.callTool({ name: "run_code", arguments: { code: "try { await tools.admin_only({}); return 'ran'; } catch (e) { return String(e.message); }" } })) as CallToolResult;
    expect(structured(r).result).toMatch(/admins only/);
  });

  it("an uncaught error is isError with its message and line; an unknown tool suggests names", async () => {
    const r = (await client.callTool({ name: "run_code", arguments: { code: "const a = 1;\nconst b = 2;\nthrow new Error('nope ' + (a + b));" } })) as CallToolResult;
    expect(r.isError).toBe(true);
    expect(JSON.stringify(r.content)).toMatch(/line 3\).*Error: nope 3/);
    const u = (await client.callTool({ name: "run_code", arguments: { code: "await tools.pull({ repo: 'hello' })" } })) as CallToolResult;
    expect(JSON.stringify(u.content)).toMatch(/Unknown tool: tools.pull.*tools.pulls/);
  });

  it("sql() runs read-only SQL in the session's own instance, and nothing else", async () => {
    const ok = (await client.callTool({ name: "run_code", arguments: { code: "await sql('SELECT 40 + 2 AS n')" } })) as CallToolResult;
    expect(structured(ok).result).toEqual([{ n: 42 }]);
    for (const bad of ["CREATE TABLE x (a INT)", "SELECT * FROM read_text('/etc/passwd')", "SELECT getenv('HOME')", "SELECT * FROM '/etc/passwd'", "SELECT 1; DROP TABLE x"]) {
      const r = (await client.callTool({ name: "run_code", arguments: { code: `await sql(${JSON.stringify(bad)})` } })) as CallToolResult;
      expect(r.isError, bad).toBe(true);
      expect(JSON.stringify(r.content), bad).toMatch(/Refused/);
    }
  });

  it("a secret never reaches the code's result, log or the audit log", async () => {
    const r = (await client.callTool({ name: "run_code", arguments: { code: "const v = await tools.leak({}); console.log(JSON.stringify(v)); v" } })) as CallToolResult;
    expect(JSON.stringify(r)).not.toContain(CANARY);
    expect(readFileSync(join(root, "audit", "logs-dev.jsonl"), "utf8")).not.toContain(CANARY);
    expect(existsSync(join(root, "audit"))).toBe(true);
  });
});

describe("choosing the surface", () => {
  it("$MXCP_GEN_EXPOSE and --expose-threshold pick it; --expose wins over the variable", async () => {
    const root = writeProject({
      "mxcp-site.yml": "mxcp: 1\nproject: pick\nprofile: d\n",
      "user.yml": "mxcp: 1\n",
      "tools/a.yml": "mxcp: 1\ntool:\n  name: a\n  description: A\n  source: {code: 'SELECT 1 AS x'}\n",
      "tools/b.yml": "mxcp: 1\ntool:\n  name: b\n  description: B\n  source: {code: 'SELECT 2 AS x'}\n",
    });
    const names = async (args: string[], env: Record<string, string> = {}) => {
      const { client, stderr } = await connect(root, args, env);
      const tools = (await client.listTools()).tools.map((t) => t.name);
      await client.close();
      return { tools, stderr: stderr() };
    };
    expect((await names([])).tools).toEqual(["a", "b", "query_results"]);
    expect((await names([], { MXCP_GEN_EXPOSE: "search" })).tools).toEqual(["search_tools", "describe_tool", "call_tool"]);
    const low = await names(["--expose-threshold", "1"]);
    expect(low.tools).toEqual(["search_tools", "describe_tool", "call_tool"]);
    expect(low.stderr).toMatch(/Surface: search \(auto: 2 tools, over 1/);
    expect((await names(["--expose", "all"], { MXCP_GEN_EXPOSE: "code" })).tools).toEqual(["a", "b", "query_results"]);
  }, 60_000);
});
