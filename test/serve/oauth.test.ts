// Issue 26, items 2, 4 and 5 (in part): the HTTP server as an OAuth resource server, with oidc-provider (a certified
// OpenID provider) on 127.0.0.1 as the real issuer and the MCP SDK's client sending its tokens. Each user acts as
// themselves: the handler, the policies and the audit record see who called, and a user never reaches another's
// session (so never another's stored results). Every refusal the spec names: no token, expired, another issuer,
// another resource, a missing scope (403, step-up), a forged signature, an opaque token the issuer says is inactive.
import { execFile } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { dirname, join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli, until, writeProject } from "../helpers.js";
import { startHttpServer, type HttpServerProcess } from "./servers.js";
import { startIssuer, token, type Issuer } from "./issuer.js";
import { OAuthUser } from "./oauth-user.js";
import { signInAs } from "./sign-in.js";

const HANDLERS = `
import { ApiClient, getUserContext, onInit } from "mxcp-gen/runtime";
const up = new ApiClient({ name: "up", servers: [{ url: "http://127.0.0.1:1" }], securitySchemes: { key: { type: "apiKey", in: "header", name: "x-key" } } });
onInit(() => up.configure());
export const upstream = () => up.call({ method: "GET", path: "/who", parameters: [], security: [["key"]] }, {});
export const whoami = () => getUserContext();
export const admin_thing = () => "admin done";
export const big = (args: { tag: string }) => Array.from({ length: 3000 }, (_, i) => ({ i, tag: args.tag, pad: "x".repeat(20) }));
`;

let issuer: Issuer;
let other: Issuer;
/** The stand-in upstream API: every request's headers. */
let upstreamApi: Server;
const upstreamHeaders: Record<string, string | string[] | undefined>[] = [];
let server: HttpServerProcess;
let root = "";

beforeAll(async () => {
  [issuer, other] = await Promise.all([startIssuer(), startIssuer()]);
  upstreamApi = createServer((req, res) => {
    upstreamHeaders.push(req.headers);
    res.writeHead(200, { "content-type": "application/json" }).end('{"ok":true}');
  });
  await new Promise<void>((r) => upstreamApi.listen(0, "127.0.0.1", r));
  const upstreamUrl = `http://127.0.0.1:${(upstreamApi.address() as AddressInfo).port}`;
  root = writeProject({
    "mxcp-site.yml": "mxcp: 1\nproject: team\nprofile: default\n",
    "user.yml": `mxcp: 1\nprojects:\n  team:\n    profiles:\n      default:\n        auth:\n          provider: oidc\n          oidc:\n            issuer: ${issuer.url}\n            client_id: mcp-server\n            client_secret: mcp-server-secret\n          authorization:\n            required_scopes: ["mcp:tools"]\n        secrets:\n          - name: up\n            type: api\n            parameters: {base_url: "${upstreamUrl}", api_key: upstream-key}\n`,
    "handlers/h.ts": HANDLERS,
    "tools/upstream.yml": "mxcp: 1\ntool:\n  name: upstream\n  description: calls the upstream API\n  source:\n    file: ../handlers/h.ts\n",
    "tools/whoami.yml": "mxcp: 1\ntool:\n  name: whoami\n  description: who is calling\n  source:\n    file: ../handlers/h.ts\n",
    "tools/admin_thing.yml":
      "mxcp: 1\ntool:\n  name: admin_thing\n  description: admins only\n  policies:\n    input:\n      - condition: '!(\"admin\" in user.scopes)'\n        action: deny\n        reason: admins only\n  source:\n    file: ../handlers/h.ts\n",
    "tools/big.yml": "mxcp: 1\ntool:\n  name: big\n  description: a large answer\n  parameters:\n    - {name: tag, type: string, description: t}\n  source:\n    file: ../handlers/h.ts\n",
  });
  server = await startHttpServer(root, [], { MXCP_AUDIT_ENABLED: "true" });
}, 60_000);

afterAll(async () => {
  await server?.stop();
  upstreamApi?.close();
  for (const i of [issuer, other]) i?.server.close();
});

async function connect(accessToken: string): Promise<{ client: Client; session: string }> {
  const transport = new StreamableHTTPClientTransport(new URL(server.url), { requestInit: { headers: { authorization: `Bearer ${accessToken}` } } });
  const client = new Client({ name: "team-member", version: "1" });
  await client.connect(transport);
  return { client, session: transport.sessionId! };
}

function initialize(accessToken: string | undefined): Promise<Response> {
  return fetch(server.url, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json, text/event-stream", ...(accessToken ? { authorization: `Bearer ${accessToken}` } : {}) },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "raw", version: "1" } } }),
  });
}

const text = (r: CallToolResult) => r.content.map((c) => (c.type === "text" ? c.text : "")).join("\n");

describe("the server as an OAuth resource server", () => {
  it("without a token: 401 naming its Protected Resource Metadata, which names the issuer", async () => {
    await until(() => server.stderr().includes("Sign-in:"));
    expect(server.stderr()).toContain(`Sign-in: access tokens from ${issuer.url}, issued for ${server.url}`);
    const r = await initialize(undefined);
    expect(r.status).toBe(401);
    const challenge = r.headers.get("www-authenticate") ?? "";
    const base = server.url.replace(/\/mcp$/, "");
    expect(challenge).toContain(`resource_metadata="${base}/.well-known/oauth-protected-resource/mcp"`);
    expect(challenge).toContain('scope="mcp:tools"');
    const metadata = (await (await fetch(`${base}/.well-known/oauth-protected-resource/mcp`)).json()) as Record<string, unknown>;
    expect(metadata).toMatchObject({ resource: server.url, authorization_servers: [issuer.url], scopes_supported: ["mcp:tools"] });
  });

  it("a user's token: the handler, the policies and the audit see that user; the token itself goes nowhere", async () => {
    const aliceToken = await token(issuer, "alice", server.url, "mcp:tools admin");
    const { client } = await connect(aliceToken);
    const me = JSON.parse(text((await client.callTool({ name: "whoami", arguments: {} })) as CallToolResult)) as Record<string, unknown>;
    expect(me).toMatchObject({ provider: "oidc", user_id: "alice", scopes: ["mcp:tools", "admin"], external_token: null });
    expect(text((await client.callTool({ name: "admin_thing", arguments: {} })) as CallToolResult)).toBe("admin done");
    await client.close();
    const bobToken = await token(issuer, "bob", server.url, "mcp:tools");
    const bob = await connect(bobToken);
    const refused = (await bob.client.callTool({ name: "admin_thing", arguments: {} })) as CallToolResult;
    expect(refused.isError).toBe(true);
    expect(text(refused)).toContain("admins only");
    await bob.client.close();
    const audit = readFileSync(join(root, "audit", "logs-default.jsonl"), "utf8");
    const users = audit.trim().split("\n").map((l) => JSON.parse(l) as { operation_name: string; user_id: string; policy_decision: string });
    expect(users.filter((u) => u.operation_name === "admin_thing").map((u) => [u.user_id, u.policy_decision])).toEqual([
      ["alice", "allow"],
      ["bob", "deny"],
    ]);
    expect(audit).not.toContain(aliceToken);
    expect(JSON.stringify(me)).not.toContain(aliceToken.split(".")[2]!);
    // The API behind a tool gets the project's credentials, never the token the user's client sent.
    const again = await connect(aliceToken);
    expect(((await again.client.callTool({ name: "upstream", arguments: {} })) as CallToolResult).isError ?? false).toBe(false);
    await again.client.close();
    expect(upstreamHeaders).toHaveLength(1);
    expect(upstreamHeaders[0]!["x-key"]).toBe("upstream-key");
    expect(upstreamHeaders[0]!.authorization).toBeUndefined();
    expect(JSON.stringify(upstreamHeaders)).not.toContain(aliceToken.split(".")[2]!);
  });

  it("hostile: a second user cannot use the first's session, so never reaches its stored results", async () => {
    const alice = await connect(await token(issuer, "alice", server.url, "mcp:tools"));
    const stored = (await alice.client.callTool({ name: "big", arguments: { tag: "alice-private" } })) as CallToolResult;
    const table = (stored.structuredContent as { stored_as?: string } | undefined)?.stored_as ?? (JSON.parse(text(stored)) as { stored_as: string }).stored_as;
    expect(table).toMatch(/^mxcp_results\./);
    const bobToken = await token(issuer, "bob", server.url, "mcp:tools");
    // Bob sends Alice's session id with his own valid token: answered as if the session did not exist.
    const hijack = await fetch(server.url, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json, text/event-stream", authorization: `Bearer ${bobToken}`, "mcp-session-id": alice.session, "mcp-protocol-version": "2025-06-18" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 5, method: "tools/call", params: { name: "query_results", arguments: { sql: `SELECT * FROM ${table}` } } }),
    });
    expect(hijack.status).toBe(404);
    expect(await hijack.text()).not.toContain("alice-private");
    // In his own session, Alice's table is not his.
    const bob = await connect(bobToken);
    const query = (await bob.client.callTool({ name: "query_results", arguments: { sql: `SELECT tag FROM ${table} LIMIT 1` } })) as CallToolResult;
    expect(query.isError).toBe(true);
    expect(text(query)).not.toContain("alice-private");
    await alice.client.close();
    await bob.client.close();
  });

  it("refuses an expired token, another issuer's, one for another resource, and a forged one (401); a missing scope is 403 with the scope to ask for", async () => {
    const expired = await token(issuer, "shortlived", server.url, "mcp:tools");
    const foreign = await token(other, "alice", server.url, "mcp:tools");
    const elsewhere = await token(issuer, "alice", "http://127.0.0.1:1/other-mcp", "mcp:tools");
    const genuine = await token(issuer, "bob", server.url, "mcp:tools");
    const [header, payload, signature] = genuine.split(".");
    const claims = JSON.parse(Buffer.from(payload!, "base64url").toString()) as Record<string, unknown>;
    const forged = `${header}.${Buffer.from(JSON.stringify({ ...claims, sub: "alice", scope: "mcp:tools admin" })).toString("base64url")}.${signature}`;
    const scopeless = await token(issuer, "limited", server.url, "admin");
    // Accepted while fresh (and remembered), refused once expired all the same.
    expect((await initialize(expired)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 3300));
    const answers = await Promise.all([expired, foreign, elsewhere, forged].map(async (t) => {
      const r = await initialize(t);
      return { status: r.status, challenge: r.headers.get("www-authenticate") ?? "" };
    }));
    expect(answers.map((a) => a.status)).toEqual([401, 401, 401, 401]);
    expect(answers[0]!.challenge).toContain("Token has expired");
    expect(answers[1]!.challenge).toMatch(/error="invalid_token"/);
    expect(answers[2]!.challenge).toContain("Token was not issued for this resource");
    expect(answers[3]!.challenge).toMatch(/error="invalid_token"/);
    const stepUp = await initialize(scopeless);
    expect(stepUp.status).toBe(403);
    expect(stepUp.headers.get("www-authenticate")).toMatch(/error="insufficient_scope".*scope="mcp:tools"/);
  });

  it("an opaque token is checked by introspection at the issuer; the same token once revoked is refused", async () => {
    const opaque = await token(issuer, "carol", server.url, "mcp:tools");
    expect(opaque.split(".")).toHaveLength(1);
    const { client } = await connect(opaque);
    expect(JSON.parse(text((await client.callTool({ name: "whoami", arguments: {} })) as CallToolResult))).toMatchObject({ user_id: "carol" });
    await client.close();
    const revoked = await fetch(`${issuer.url}/token/revocation`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", authorization: `Basic ${Buffer.from("carol:carol-secret").toString("base64")}` },
      body: new URLSearchParams({ token: opaque }),
    });
    expect(revoked.status).toBe(200);
    const r = await initialize(opaque);
    expect(r.status).toBe(401);
    expect(r.headers.get("www-authenticate")).toContain("Token is not active");
  });

  it("one way in: a static token beside auth, or a provider it cannot check, stops the start with the reason", async () => {
    await expect(startHttpServer(root, [], { MXCP_GEN_HTTP_TOKEN: "static" })).rejects.toThrow(/Both a static bearer token .* and OAuth sign-in \(auth\) are set: choose one/);
    // GitHub signs users in through the team's app: without it configured there is nothing to start.
    await expect(startHttpServer(root, ["--auth", "github"])).rejects.toThrow(/auth provider github signs users in through your team's app registered at GitHub: set github.client_id and github.client_secret/);
    await expect(startHttpServer(root, ["--auth-issuer", "http://127.0.0.1:1"])).rejects.toThrow(/could not be reached/);
  });

  it("secrets check says whom the server trusts, and why a sign-in setting cannot start", async () => {
    const ok = await runCli(["secrets", "check"], { cwd: root, env: { MXCP_CONFIG: join(root, "user.yml") } });
    expect(ok.stdout).toContain(`✓ auth: oidc, issuer ${issuer.url}, with this server's credentials for opaque tokens`);
    expect(ok.stdout).not.toContain("mcp-server-secret");
    const bad = writeProject({ "mxcp-site.yml": "mxcp: 1\nproject: team\nprofile: default\n", "user.yml": "mxcp: 1\nprojects:\n  team:\n    profiles:\n      default:\n        auth: {provider: google}\n" });
    const refused = await runCli(["secrets", "check"], { cwd: bad, env: { MXCP_CONFIG: join(bad, "user.yml") } });
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain("✗ auth: auth provider google signs users in through your team's app registered at Google");
  });

  it("the MCP Inspector's CLI connects with a user's token in its --header, and is refused without one", async () => {
    const INSPECTOR = join(dirname(createRequire(import.meta.url).resolve("@modelcontextprotocol/inspector-cli/package.json")), "build", "index.js");
    // Inspector CLI 1.0.3 reads ../package.json from where it runs (see test/serve/inspector-cli.test.ts).
    writeFileSync(join(root, "package.json"), '{"name":"team","version":"1.0.0"}\n');
    const run = (extra: string[]) =>
      new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
        execFile(process.execPath, [INSPECTOR, server.url, "--method", "tools/list", ...extra], { cwd: join(root, "tools"), timeout: 60_000 }, (error, stdout, stderr) =>
          resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr }),
        );
      });
    const bob = await token(issuer, "bob", server.url, "mcp:tools");
    const listed = await run(["--header", `Authorization: Bearer ${bob}`]);
    expect(listed.code, listed.stderr).toBe(0);
    expect((JSON.parse(listed.stdout) as { tools: { name: string }[] }).tools.map((t) => t.name)).toContain("whoami");
    const refused = await run([]);
    expect(refused.code).not.toBe(0);
  });

  it("operators' endpoints need a valid token too", async () => {
    const base = server.url.replace(/\/mcp$/, "");
    expect((await fetch(`${base}/metrics`)).status).toBe(401);
    const ok = await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${await token(issuer, "bob", server.url, "mcp:tools")}` } });
    expect(ok.status).toBe(200);
  });
});

describe("signing in with an MCP client", () => {
  it("the SDK's client discovers the issuer from the 401, registers, signs the user in with PKCE, and calls as that user", async () => {
    const signIn = new OAuthUser({ grantTypes: ["authorization_code"] });
    const first = new Client({ name: "team-member", version: "1" });
    const transport = new StreamableHTTPClientTransport(new URL(server.url), { authProvider: signIn });
    await expect(first.connect(transport)).rejects.toThrow(/Unauthorized/);
    // Discovery and registration happened: the client now holds a registration at the issuer, and an authorization URL.
    expect(signIn.registered?.client_id).toBeTruthy();
    const authorization = signIn.authorizationUrl!;
    expect(authorization.origin).toBe(issuer.url);
    expect(authorization.searchParams.get("code_challenge_method")).toBe("S256");
    expect(authorization.searchParams.get("resource")).toBe(server.url);
    const code = new URL(await signInAs("dora", authorization, signIn.redirectUrl)).searchParams.get("code")!;
    await transport.finishAuth(code);
    expect(signIn.saved?.access_token).toBeTruthy();
    const client = new Client({ name: "team-member", version: "1" });
    await client.connect(new StreamableHTTPClientTransport(new URL(server.url), { authProvider: signIn }));
    const me = JSON.parse(text((await client.callTool({ name: "whoami", arguments: {} })) as CallToolResult)) as Record<string, unknown>;
    expect(me).toMatchObject({ provider: "oidc", user_id: "dora" });
    expect((me.scopes as string[])).toContain("mcp:tools");
    await client.close();
  });
});
