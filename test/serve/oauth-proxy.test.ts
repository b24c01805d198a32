// Issue 26 item 3: the server as an OAuth proxy in front of a provider MCP clients cannot register with. The
// provider is oidc-provider with dynamic registration off and one app registered by hand (the team's); the client
// is the MCP SDK's, registering here, sent to a consent page here, then to the provider, and given this server's own
// tokens. The provider's token stays on the server and reaches the API the tools call, as that user. Hostile
// callers: a page on another site posting the consent form, a code or refresh token replayed, a token asked for
// another resource, a redirect somewhere else, another user's session.
import { createServer, type Server } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { cpSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { OAuthTokens } from "@modelcontextprotocol/sdk/shared/auth.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../../bench/nginx.js";
import { REPO_ROOT, runCli, until, writeProject } from "../helpers.js";
import { startHttpServer, type HttpServerProcess } from "./servers.js";
import { startTeamIdp, type Issuer } from "./issuer.js";
import { OAuthUser } from "./oauth-user.js";
import { Browser, openConsent, proxySignIn, signInWithClient } from "./proxy-browser.js";
import { signInAs } from "./sign-in.js";
import { loopbackCertificate, type LoopbackCertificate } from "./tls.js";

const HANDLERS = `
import { getUserContext } from "mxcp-gen/runtime";
/** Who is calling, without the provider's token (a tool's answer goes to the model). */
export const whoami = () => {
  const { external_token, ...user } = getUserContext() ?? { external_token: null };
  return { ...user, has_external_token: typeof external_token === "string" && external_token.length > 0 };
};
/** A careless (or prompt-injected) tool that hands the whole user context back to the model. */
export const leak = () => getUserContext();
/** The API behind the tools, called with the user's own token at the provider. */
export async function upstream_me() {
  const token = getUserContext()?.external_token;
  const r = await fetch(process.env.TEAM_API + "/me", { headers: { authorization: "Bearer " + token } });
  return await r.json();
}
`;

const NOTES_API = `openapi: 3.0.3
info: {title: Team notes, version: "1"}
servers: [{url: "https://notes.invalid"}]
components:
  securitySchemes:
    oauth: {type: oauth2, flows: {authorizationCode: {authorizationUrl: "https://notes.invalid/authorize", tokenUrl: "https://notes.invalid/token", scopes: {}}}}
security: [{oauth: []}]
paths:
  /me:
    get:
      operationId: getMe
      summary: Who the token is
      responses: {"200": {description: ok, content: {application/json: {schema: {type: object, properties: {sub: {type: string, nullable: true}}}}}}}
`;

let idp: Issuer;
let shortIdp: Issuer;
/** Every provider the tests started: the stand-in API asks each who a token is. */
const providers: Issuer[] = [];
let api: Server;
/** Every bearer token the API was sent, and whom the provider said it speaks for. */
const apiSaw: { token: string; sub: string | undefined }[] = [];
let server: HttpServerProcess;
let root = "";
let callback = "";
/** Client ID metadata documents, served over https on loopback with a certificate the server is told to trust. */
let tls: LoopbackCertificate;
let documents: ReturnType<typeof createHttpsServer>;
const published = new Map<string, unknown>();
let documentsUrl = "";

async function startServer(): Promise<HttpServerProcess> {
  const port = Number(new URL(callback).port);
  return startHttpServer(root, ["--port", String(port)], { MXCP_AUDIT_ENABLED: "true", TEAM_API: `http://127.0.0.1:${(api.address() as AddressInfo).port}`, TEAM_APP_SECRET: "team-app-secret", NODE_EXTRA_CA_CERTS: tls.certFile });
}

/** The profile's auth: the team's provider proxied, and `authLines` more of `auth:` (each indented by 10). */
function writeConfig(authLines = ""): void {
  writeProject(
    {
      "user.yml": `mxcp: 1\nprojects:\n  team:\n    profiles:\n      default:\n        auth:\n          provider: oidc\n          oidc:\n            mode: proxy\n            issuer: ${idp.url}\n            client_id: team-app\n            client_secret: \${TEAM_APP_SECRET}\n${authLines}          authorization:\n            required_scopes: ["mcp:tools"]\n        secrets:\n          - name: notes\n            type: api\n            parameters: {base_url: "http://127.0.0.1:${(api.address() as AddressInfo).port}"}\n          - name: team\n            type: api\n            parameters: {api_key: {from: user}}\n`,
    },
    root,
  );
}

beforeAll(async () => {
  const port = await freePort();
  callback = `http://127.0.0.1:${port}/auth/callback`;
  idp = await startTeamIdp(callback);
  providers.push(idp);
  api = createServer(async (req, res) => {
    if (req.url === "/admin/report") return void res.writeHead(403, { "content-type": "application/json" }).end('{"error":"forbidden"}');
    const token = (req.headers.authorization ?? "").replace(/^Bearer /, "");
    // Whom the token speaks for, at whichever of the tests' providers issued it.
    let sub: string | undefined;
    for (const issuer of providers) {
      const who = await fetch(`${issuer.url}/me`, { headers: { authorization: `Bearer ${token}` } });
      if (who.ok) sub = ((await who.json()) as { sub: string }).sub;
      if (sub) break;
    }
    apiSaw.push({ token, sub });
    res.writeHead(sub ? 200 : 401, { "content-type": "application/json" }).end(JSON.stringify({ sub: sub ?? null }));
  });
  await new Promise<void>((r) => api.listen(0, "127.0.0.1", r));
  tls = loopbackCertificate();
  documents = createHttpsServer({ cert: tls.cert, key: tls.key }, (req, res) => {
    const doc = published.get(req.url ?? "");
    if (doc === undefined) return void res.writeHead(404).end();
    res.writeHead(200, { "content-type": "application/json" }).end(typeof doc === "string" ? doc : JSON.stringify(doc));
  });
  await new Promise<void>((r) => documents.listen(0, "127.0.0.1", r));
  documentsUrl = `https://127.0.0.1:${(documents.address() as AddressInfo).port}`;
  root = writeProject({
    "mxcp-site.yml": "mxcp: 1\nproject: team\nprofile: default\n",
    "handlers/h.ts": HANDLERS,
    "tools/whoami.yml": "mxcp: 1\ntool:\n  name: whoami\n  description: who is calling\n  source:\n    file: ../handlers/h.ts\n",
    "tools/upstream_me.yml": "mxcp: 1\ntool:\n  name: upstream_me\n  description: asks the API who the token is\n  source:\n    file: ../handlers/h.ts\n",
    "tools/leak.yml": "mxcp: 1\ntool:\n  name: leak\n  description: returns the user context as it is\n  source:\n    file: ../handlers/h.ts\n",
  });
  writeConfig();
  // The API behind it, generated to call with each caller's own token (item 6), its reads cached.
  writeProject({ "notes.yaml": NOTES_API }, root);
  const generated = await runCli(["openapi", "notes.yaml", "--auth", "user", "--name", "notes", "--cache", "1m"], { cwd: root });
  if (generated.code !== 0) throw new Error(generated.stderr);
  // And an SDK whose client is made with one user's token (test/fixtures/npm/team-sdk), wrapped.
  cpSync(join(REPO_ROOT, "test", "fixtures", "npm", "team-sdk"), join(root, "node_modules", "team-sdk"), { recursive: true });
  const wrapped = await runCli(["wrap", "team-sdk"], { cwd: root });
  if (wrapped.code !== 0) throw new Error(wrapped.stderr);
  server = await startServer();
}, 120_000);

afterAll(async () => {
  await server?.stop();
  api?.close();
  documents?.close();
  idp?.server.close();
});

/** Sign `login` in with the SDK's client (401 → discovery → registration → consent → provider → tokens), and connect. */
async function signedIn(login: string, who = new OAuthUser()): Promise<{ client: Client; provider: OAuthUser; session: string }> {
  await signInWithClient(server.url, login, callback, who);
  const client = new Client({ name: "team", version: "1" });
  const connected = new StreamableHTTPClientTransport(new URL(server.url), { authProvider: who });
  await client.connect(connected);
  return { client, provider: who, session: connected.sessionId! };
}

const json = (r: unknown) => JSON.parse((r as CallToolResult).content.map((c) => (c.type === "text" ? c.text : "")).join("")) as Record<string, unknown>;

async function form(path: string, body: Record<string, string>): Promise<Response> {
  return fetch(new URL(path, server.url), { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams(body) });
}

describe("signing a team in through the server's OAuth proxy", () => {
  it("the SDK's client registers here, the user consents and signs in at the provider, and calls as themselves; the provider's token never reaches the client", async () => {
    const meta = (await (await fetch(new URL("/.well-known/oauth-authorization-server", server.url))).json()) as Record<string, unknown>;
    expect(meta).toMatchObject({ issuer: `${new URL(server.url).origin}/`, client_id_metadata_document_supported: true, code_challenge_methods_supported: ["S256"] });
    const { client, provider } = await signedIn("erin");
    expect(provider.authorizationUrl!.origin).toBe(new URL(server.url).origin);
    expect(provider.saved!.access_token).toMatch(/^mxcp_at_/);
    expect(provider.saved!.refresh_token).toMatch(/^mxcp_rt_/);
    expect(json(await client.callTool({ name: "whoami", arguments: {} }))).toMatchObject({ provider: "oidc", user_id: "erin", email: "erin@example.com", name: "Erin Example", has_external_token: true, scopes: ["mcp:tools"] });
    expect(json(await client.callTool({ name: "upstream_me", arguments: {} }))).toEqual({ sub: "erin" });
    // The API got the provider's token for erin, which is not the token the client holds.
    const seen = apiSaw.at(-1)!;
    expect(seen.sub).toBe("erin");
    expect(seen.token).not.toBe(provider.saved!.access_token);
    // A tool that returns the user context as it is: the provider's token is redacted from what the model gets.
    const leaked = await client.callTool({ name: "leak", arguments: {} });
    expect(json(leaked)).toMatchObject({ user_id: "erin", external_token: "[REDACTED]" });
    expect(JSON.stringify(leaked)).not.toContain(seen.token);
    const audit = readFileSync(join(root, "audit", "logs-default.jsonl"), "utf8");
    expect(audit).toContain('"user_id":"erin"');
    expect(audit).not.toContain(seen.token);
    expect(audit).not.toContain(provider.saved!.access_token);
    await client.close();
  });

  it("a user who denies consent sends the client back with access_denied and no code", async () => {
    const who = new OAuthUser();
    const transport = new StreamableHTTPClientTransport(new URL(server.url), { authProvider: who });
    await expect(new Client({ name: "t", version: "1" }).connect(transport)).rejects.toThrow(/Unauthorized/);
    const browser = new Browser();
    const page = await openConsent(browser, who.authorizationUrl!);
    expect(page.html).toContain("Team member&#39;s editor");
    const denied = await browser.post(page.action, { transaction: page.transaction, form_secret: page.formSecret, decision: "deny" });
    const back = new URL(denied.headers.get("location")!);
    expect(back.searchParams.get("error")).toBe("access_denied");
    expect(back.searchParams.get("code")).toBeNull();
    expect(back.searchParams.get("state")).toBe(who.authorizationUrl!.searchParams.get("state"));
  });

  it("hostile: the consent form posted from another browser (a page elsewhere, or a link someone else started) is refused, and so is the provider's return", async () => {
    const who = new OAuthUser();
    await expect(new Client({ name: "t", version: "1" }).connect(new StreamableHTTPClientTransport(new URL(server.url), { authProvider: who }))).rejects.toThrow(/Unauthorized/);
    const attacker = new Browser();
    const page = await openConsent(attacker, who.authorizationUrl!);
    // The victim's browser posts the attacker's form: it carries the form's secret, not the cookie of that page.
    const victim = new Browser();
    const posted = await victim.post(page.action, { transaction: page.transaction, form_secret: page.formSecret, decision: "allow" });
    expect(posted.status).toBe(403);
    expect(await posted.text()).toContain("not started in this browser");
    // The real browser, with the wrong form secret.
    expect((await attacker.post(page.action, { transaction: page.transaction, form_secret: "guess", decision: "allow" })).status).toBe(403);
    // The page cannot be framed or cached.
    const again = await attacker.get(who.authorizationUrl!.href);
    expect(again.headers.get("x-frame-options")).toBe("DENY");
    expect(again.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    // Past consent, the provider's return opened in another browser is refused too.
    const allowed = await attacker.post(page.action, { transaction: page.transaction, form_secret: page.formSecret, decision: "allow" });
    const back = await signInAs("mallory", new URL(allowed.headers.get("location")!), callback);
    expect((await victim.get(back)).status).toBe(403);
  });

  it("hostile: a redirect the client did not register, one that is not https or loopback, and a token for another resource are refused", async () => {
    const who = new OAuthUser();
    await expect(new Client({ name: "t", version: "1" }).connect(new StreamableHTTPClientTransport(new URL(server.url), { authProvider: who }))).rejects.toThrow(/Unauthorized/);
    const elsewhere = new URL(who.authorizationUrl!);
    elsewhere.searchParams.set("redirect_uri", "https://attacker.example/cb");
    const r = await fetch(elsewhere, { redirect: "manual" });
    expect(r.status).toBe(400);
    expect(await r.text()).toContain("Unregistered redirect_uri");
    const registration = await fetch(new URL("/register", server.url), { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ redirect_uris: ["http://attacker.example/cb"], token_endpoint_auth_method: "none" }) });
    expect(registration.status).toBe(400);
    expect(await registration.text()).toContain("must be https, a loopback address or an app's own scheme");
    for (const uri of ["javascript:alert(1)//", "data:text/html,x", "file:///etc/passwd"]) {
      const r2 = await fetch(new URL("/register", server.url), { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ redirect_uris: [uri], token_endpoint_auth_method: "none" }) });
      expect(r2.status, uri).toBe(400);
    }
    const native = await fetch(new URL("/register", server.url), { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ redirect_uris: ["cursor://anysphere.cursor-mcp/oauth/callback"], token_endpoint_auth_method: "none" }) });
    expect(native.status).toBe(201);
    const otherResource = new URL(who.authorizationUrl!);
    otherResource.searchParams.set("resource", "https://other.example/mcp");
    const refused = await fetch(otherResource, { redirect: "manual" });
    expect(refused.status).toBe(302);
    expect(new URL(refused.headers.get("location")!).searchParams.get("error")).toBe("invalid_target");
  });

  it("hostile: a code exchanged twice revokes what the first exchange gave; an old refresh token presented again revokes the grant", async () => {
    const who = new OAuthUser();
    const transport = new StreamableHTTPClientTransport(new URL(server.url), { authProvider: who });
    await expect(new Client({ name: "t", version: "1" }).connect(transport)).rejects.toThrow(/Unauthorized/);
    const back = await proxySignIn("hana", who.authorizationUrl!, callback);
    const code = back.searchParams.get("code")!;
    const clientId = (who.registered as { client_id: string }).client_id;
    const exchange = { grant_type: "authorization_code", code, code_verifier: who.verifier, client_id: clientId, redirect_uri: who.redirectUrl };
    const first = (await (await form("/token", exchange)).json()) as OAuthTokens;
    expect(first.access_token).toMatch(/^mxcp_at_/);
    const replay = await form("/token", exchange);
    expect(replay.status).toBe(400);
    expect(((await replay.json()) as { error: string }).error).toBe("invalid_grant");
    const initialize = (token: string) =>
      fetch(server.url, {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json, text/event-stream", authorization: `Bearer ${token}` },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "raw", version: "1" } } }),
      });
    expect((await initialize(first.access_token)).status).toBe(401);

    // A fresh sign-in; refresh rotates both tokens, the old access token stops at once.
    const who2 = new OAuthUser();
    const { client } = await signedIn("hana", who2);
    await client.close();
    const before = who2.saved!;
    const refresh = { grant_type: "refresh_token", refresh_token: before.refresh_token!, client_id: (who2.registered as { client_id: string }).client_id };
    const rotated = (await (await form("/token", refresh)).json()) as OAuthTokens;
    expect(rotated.refresh_token).not.toBe(before.refresh_token);
    expect((await initialize(before.access_token)).status).toBe(401);
    expect((await initialize(rotated.access_token)).status).toBe(200);
    // The old refresh token again: someone kept a copy. Nothing of the grant works any more.
    expect((await form("/token", refresh)).status).toBe(400);
    expect((await initialize(rotated.access_token)).status).toBe(401);
    expect((await form("/token", { ...refresh, refresh_token: rotated.refresh_token! })).status).toBe(400);
  });

  it("hostile: a second user cannot use the first's session; revoking a token ends it", async () => {
    const a = await signedIn("ivan");
    const b = await signedIn("jules");
    expect(json(await b.client.callTool({ name: "upstream_me", arguments: {} }))).toEqual({ sub: "jules" });
    const hijack = await fetch(server.url, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json, text/event-stream", authorization: `Bearer ${b.provider.saved!.access_token}`, "mcp-session-id": a.session, "mcp-protocol-version": "2025-06-18" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 9, method: "tools/call", params: { name: "whoami", arguments: {} } }),
    });
    expect(hijack.status).toBe(404);
    const revoked = await form("/revoke", { token: b.provider.saved!.access_token, client_id: (b.provider.registered as { client_id: string }).client_id });
    expect(revoked.status).toBe(200);
    await expect(b.client.callTool({ name: "whoami", arguments: {} })).rejects.toThrow();
    expect(json(await a.client.callTool({ name: "whoami", arguments: {} }))).toMatchObject({ user_id: "ivan" });
    await a.client.close();
  });

  it("an API generated with --auth user is called with each caller's own token; a cached answer is never another user's", async () => {
    const mona = await signedIn("mona");
    const nils = await signedIn("nils");
    const before = apiSaw.length;
    expect(json(await mona.client.callTool({ name: "notes_get_me", arguments: {} }))).toEqual({ sub: "mona" });
    // Mona again: her answer is kept (1 minute), the API is not asked.
    expect(json(await mona.client.callTool({ name: "notes_get_me", arguments: {} }))).toEqual({ sub: "mona" });
    expect(apiSaw.length).toBe(before + 1);
    // Nils asks the same question: his own token goes, and his own answer comes back.
    expect(json(await nils.client.callTool({ name: "notes_get_me", arguments: {} }))).toEqual({ sub: "nils" });
    expect(apiSaw.length).toBe(before + 2);
    expect(apiSaw.slice(before).map((s) => s.sub)).toEqual(["mona", "nils"]);
    await mona.client.close();
    await nils.client.close();
  });

  it("without a signed-in user a per-user API says how to sign in and sends nothing; secrets check says whether the profile signs users in", async () => {
    const before = apiSaw.length;
    const env = { MXCP_CONFIG: join(root, "user.yml"), TEAM_APP_SECRET: "team-app-secret" };
    const run = await runCli(["run", "tool", "notes_get_me"], { cwd: root, env });
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain("The 'notes' API is called as the signed-in user, and this call has no user signed in to it");
    expect(run.stderr).toContain("Fix: Connect to a server that signs its users in to this API");
    expect(apiSaw.length).toBe(before);
    const check = await runCli(["secrets", "check"], { cwd: root, env });
    expect(check.stdout).toContain("✓ auth: oidc through this server (OAuth proxy)");
    // Both the API generated with --auth user and the wrapped SDK whose secret says {from: user}.
    expect(check.stdout.split("✓ each call sends the caller's own token from their sign-in (auth: oidc)").length - 1).toBe(2);
    expect(check.stdout).not.toContain("team-app-secret");
    const noSignIn = writeProject({ "user.yml": `mxcp: 1\nprojects:\n  team:\n    profiles:\n      default:\n        secrets:\n          - name: notes\n            type: api\n            parameters: {base_url: "http://127.0.0.1:1"}\n` });
    const refused = await runCli(["secrets", "check"], { cwd: root, env: { MXCP_CONFIG: join(noSignIn, "user.yml") } });
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain("✗ each call sends the caller's own token, and this profile's auth signs nobody in to an API");
  });

  it("a wrapped SDK whose secret says {from: user}: each user gets their own client, made with their own token; a 403 drops it", async () => {
    const olga = await signedIn("olga");
    const piet = await signedIn("piet");
    const o1 = json(await olga.client.callTool({ name: "team_profile_me", arguments: {} }));
    const o2 = json(await olga.client.callTool({ name: "team_profile_me", arguments: {} }));
    const p1 = json(await piet.client.callTool({ name: "team_profile_me", arguments: {} }));
    expect(o1.sub).toBe("olga");
    expect(p1.sub).toBe("piet");
    // Olga's client is kept for her calls; Piet's is another.
    expect(o2.instance).toBe(o1.instance);
    expect(p1.instance).not.toBe(o1.instance);
    // The API refuses her (403): the error goes to her model, and her next call makes a new client.
    const refused = (await olga.client.callTool({ name: "team_profile_admin_report", arguments: {} })) as CallToolResult;
    expect(refused.isError).toBe(true);
    expect(json(refused)).toMatchObject({ status: 403 });
    const o3 = json(await olga.client.callTool({ name: "team_profile_me", arguments: {} }));
    expect(o3.sub).toBe("olga");
    expect(o3.instance).not.toBe(o1.instance);
    // Piet's client was not touched by Olga's refusal.
    expect(json(await piet.client.callTool({ name: "team_profile_me", arguments: {} })).instance).toBe(p1.instance);
    await olga.client.close();
    await piet.client.close();
  });

  it("a client named by its metadata document (no registration): the server reads the document, the consent page says the id was checked, the client signs in", async () => {
    const id = `${documentsUrl}/editor/client.json`;
    const who = new OAuthUser({ redirectUrl: "http://127.0.0.1:9/editor-callback", clientMetadataUrl: id });
    published.set("/editor/client.json", { client_id: id, client_name: "Editor (published)", redirect_uris: [who.redirectUrl], grant_types: ["authorization_code", "refresh_token"], response_types: ["code"], token_endpoint_auth_method: "none" });
    const transport = new StreamableHTTPClientTransport(new URL(server.url), { authProvider: who });
    await expect(new Client({ name: "t", version: "1" }).connect(transport)).rejects.toThrow(/Unauthorized/);
    expect(who.authorizationUrl!.searchParams.get("client_id")).toBe(id);
    const page = await openConsent(new Browser(), who.authorizationUrl!);
    expect(page.html).toContain("Editor (published)");
    expect(page.html).toContain("checked: the client published it there");
    const back = await proxySignIn("kim", who.authorizationUrl!, callback);
    await transport.finishAuth(back.searchParams.get("code")!);
    const client = new Client({ name: "t", version: "1" });
    await client.connect(new StreamableHTTPClientTransport(new URL(server.url), { authProvider: who }));
    expect(json(await client.callTool({ name: "whoami", arguments: {} }))).toMatchObject({ user_id: "kim" });
    await client.close();
  });

  it("hostile: a metadata document naming another client, redirects it does not list, a secret it cannot keep, or a body too large is refused", async () => {
    const authorize = (clientId: string, redirect: string) => {
      const u = new URL("/authorize", server.url);
      for (const [k, v] of Object.entries({ client_id: clientId, redirect_uri: redirect, response_type: "code", code_challenge: "x".repeat(43), code_challenge_method: "S256" })) u.searchParams.set(k, v);
      return fetch(u, { redirect: "manual" });
    };
    const base = { redirect_uris: ["http://127.0.0.1:9/cb"], token_endpoint_auth_method: "none" };
    published.set("/impostor.json", { ...base, client_id: `${documentsUrl}/editor/client.json` });
    published.set("/confidential.json", { ...base, client_id: `${documentsUrl}/confidential.json`, token_endpoint_auth_method: "client_secret_post" });
    published.set("/huge.json", JSON.stringify({ ...base, client_id: `${documentsUrl}/huge.json`, client_name: "x".repeat(10_000) }));
    published.set("/fine.json", { ...base, client_id: `${documentsUrl}/fine.json` });
    const answers = await Promise.all([
      authorize(`${documentsUrl}/impostor.json`, "http://127.0.0.1:9/cb"),
      authorize(`${documentsUrl}/confidential.json`, "http://127.0.0.1:9/cb"),
      authorize(`${documentsUrl}/huge.json`, "http://127.0.0.1:9/cb"),
      authorize(`${documentsUrl}/fine.json`, "https://attacker.example/cb"),
      authorize(`${documentsUrl}/missing.json`, "http://127.0.0.1:9/cb"),
    ]);
    const bodies = await Promise.all(answers.map(async (a) => `${a.status} ${await a.text()}`));
    expect(bodies[0]).toMatch(/^400 .*names another client id/);
    expect(bodies[1]).toMatch(/^400 .*only none is accepted/);
    expect(bodies[2]).toMatch(/^400 .*over 5120 bytes/);
    expect(bodies[3]).toMatch(/^400 .*Unregistered redirect_uri/);
    expect(bodies[4]).toMatch(/^400 .*answered HTTP 404/);
    // Plain http is never fetched: such a client id is no metadata document, and no registration has it.
    expect((await authorize(`http://127.0.0.1:${(api.address() as AddressInfo).port}/doc.json`, "http://127.0.0.1:9/cb")).status).toBe(400);
  });

  it("with a persistence directory a restart signs nobody out; its files hold no token or user in the clear", async () => {
    await server.stop();
    writeConfig("          persistence:\n            path: state/oauth\n");
    server = await startServer();
    const { client, provider } = await signedIn("lena");
    expect(json(await client.callTool({ name: "upstream_me", arguments: {} }))).toEqual({ sub: "lena" });
    const upstreamToken = apiSaw.at(-1)!.token;
    await client.close();
    await server.stop();
    const files = readdirSync(join(root, "state", "oauth"), { recursive: true, withFileTypes: true }).filter((f) => f.isFile());
    expect(files.length).toBeGreaterThan(3);
    for (const f of files) {
      expect((statSync(join(f.parentPath, f.name)).mode & 0o777).toString(8)).toBe("600");
      const text = readFileSync(join(f.parentPath, f.name), "utf8");
      for (const secret of [provider.saved!.access_token, provider.saved!.refresh_token!, upstreamToken, "lena"]) expect(text).not.toContain(secret);
    }
    server = await startServer();
    const again = new Client({ name: "t", version: "1" });
    await again.connect(new StreamableHTTPClientTransport(new URL(server.url), { authProvider: provider }));
    expect(json(await again.callTool({ name: "whoami", arguments: {} }))).toMatchObject({ user_id: "lena" });
    await again.close();
    // Another client secret cannot read the file: everyone signs in again, nothing breaks.
    await server.stop();
    server = await startHttpServer(root, ["--port", new URL(callback).port], { TEAM_APP_SECRET: "rotated-secret", TEAM_API: "http://127.0.0.1:1" });
    const refused = await fetch(server.url, { method: "POST", headers: { authorization: `Bearer ${provider.saved!.access_token}`, "content-type": "application/json", accept: "application/json, text/event-stream" }, body: "{}" });
    expect(refused.status).toBe(401);
    await server.stop();
    writeConfig();
    server = await startServer();
  });
});

describe("GitHub as the team's provider (its endpoints stand in on loopback)", () => {
  let github: Server;
  let gh: HttpServerProcess;
  const tokens = new Map<string, { id: number; login: string }>();
  const codes = new Map<string, { login: string; challenge: string }>();

  beforeAll(async () => {
    // GitHub's OAuth app endpoints as they behave: the authorize page (here: signs in as ?login= at once), the
    // token endpoint that answers errors with 200 and an `error` field, and /user with numeric ids.
    github = createServer((req, res) => {
      const url = new URL(req.url ?? "/", "http://x");
      if (url.pathname === "/login/oauth/authorize") {
        const code = `gh-code-${codes.size}`;
        codes.set(code, { login: url.searchParams.get("login") ?? "octo", challenge: url.searchParams.get("code_challenge") ?? "" });
        const back = new URL(url.searchParams.get("redirect_uri")!);
        back.searchParams.set("code", code);
        back.searchParams.set("state", url.searchParams.get("state")!);
        return void res.writeHead(302, { location: back.href }).end();
      }
      if (url.pathname === "/login/oauth/access_token") {
        let body = "";
        req.on("data", (d: Buffer) => (body += d.toString()));
        req.on("end", async () => {
          const form = new URLSearchParams(body);
          const code = codes.get(form.get("code") ?? "");
          const { createHash } = await import("node:crypto");
          const verified = code && createHash("sha256").update(form.get("code_verifier") ?? "").digest("base64url") === code.challenge;
          if (!code || !verified || form.get("client_secret") !== "gh-secret") return void res.writeHead(200, { "content-type": "application/json" }).end('{"error":"bad_verification_code"}');
          const token = `gho_${tokens.size}_${code.login}`;
          tokens.set(token, { id: 1000 + tokens.size, login: code.login });
          res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ access_token: token, token_type: "bearer", scope: "read:user" }));
        });
        return;
      }
      if (url.pathname === "/user") {
        const user = tokens.get((req.headers.authorization ?? "").replace(/^Bearer /, ""));
        if (!user) return void res.writeHead(401).end();
        return void res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ ...user, name: `The ${user.login}`, email: null, avatar_url: "https://avatars.example/1" }));
      }
      res.writeHead(404).end();
    });
    await new Promise<void>((r) => github.listen(0, "127.0.0.1", r));
    const at = `http://127.0.0.1:${(github.address() as AddressInfo).port}`;
    const ghRoot = writeProject({
      "mxcp-site.yml": "mxcp: 1\nproject: team\nprofile: default\n",
      "handlers/h.ts": HANDLERS,
      "tools/whoami.yml": "mxcp: 1\ntool:\n  name: whoami\n  description: who is calling\n  source:\n    file: ../handlers/h.ts\n",
      "user.yml": `mxcp: 1\nprojects:\n  team:\n    profiles:\n      default:\n        auth:\n          provider: github\n          github:\n            client_id: gh-app\n            client_secret: gh-secret\n            auth_url: ${at}/login/oauth/authorize\n            token_url: ${at}/login/oauth/access_token\n            user_url: ${at}/user\n`,
    });
    gh = await startHttpServer(ghRoot, []);
  }, 60_000);

  afterAll(async () => {
    await gh?.stop();
    github?.close();
  });

  it("a user signs in with GitHub and calls as their GitHub account; GitHub's 200-with-error answer is a refusal", async () => {
    // The operator is told at start what to register at GitHub.
    await until(() => gh.stderr().includes("Sign-in:"));
    expect(gh.stderr()).toContain(`Sign-in: GitHub through this server (OAuth proxy, app gh-app); the app's callback must be ${new URL(gh.url).origin}/auth/callback; sign-ins kept in memory until the server stops`);
    const who = new OAuthUser();
    const transport = new StreamableHTTPClientTransport(new URL(gh.url), { authProvider: who });
    await expect(new Client({ name: "t", version: "1" }).connect(transport)).rejects.toThrow(/Unauthorized/);
    const browser = new Browser();
    const page = await openConsent(browser, who.authorizationUrl!);
    const allowed = await browser.post(page.action, { transaction: page.transaction, form_secret: page.formSecret, decision: "allow" });
    const atGithub = new URL(allowed.headers.get("location")!);
    expect(atGithub.searchParams.get("client_id")).toBe("gh-app");
    expect(atGithub.searchParams.get("scope")).toBe("read:user user:email");
    expect(atGithub.searchParams.get("redirect_uri")).toBe(`${new URL(gh.url).origin}/auth/callback`);
    atGithub.searchParams.set("login", "octocat");
    const back = new URL((await browser.get((await browser.get(atGithub.href)).headers.get("location")!)).headers.get("location")!);
    await transport.finishAuth(back.searchParams.get("code")!);
    const client = new Client({ name: "t", version: "1" });
    await client.connect(new StreamableHTTPClientTransport(new URL(gh.url), { authProvider: who }));
    expect(json(await client.callTool({ name: "whoami", arguments: {} }))).toMatchObject({ provider: "github", user_id: "1000", username: "octocat", name: "The octocat", email: null, has_external_token: true });
    await client.close();

    // A code GitHub does not know: its token endpoint says so with 200 and an error, and the client hears access was not given.
    const who2 = new OAuthUser();
    await expect(new Client({ name: "t", version: "1" }).connect(new StreamableHTTPClientTransport(new URL(gh.url), { authProvider: who2 }))).rejects.toThrow(/Unauthorized/);
    const b2 = new Browser();
    const p2 = await openConsent(b2, who2.authorizationUrl!);
    const a2 = new URL((await b2.post(p2.action, { transaction: p2.transaction, form_secret: p2.formSecret, decision: "allow" })).headers.get("location")!);
    const wrong = new URL(`${new URL(gh.url).origin}/auth/callback`);
    wrong.searchParams.set("code", "forged");
    wrong.searchParams.set("state", a2.searchParams.get("state")!);
    const failed = new URL((await b2.get(wrong.href)).headers.get("location")!);
    expect(failed.searchParams.get("error")).toBe("server_error");
    expect(failed.searchParams.get("error_description")).toContain("GitHub refused the token request (HTTP 200, bad_verification_code)");
    expect(failed.searchParams.get("code")).toBeNull();
  });
});

describe("a provider whose tokens live 4 seconds", () => {
  let short: HttpServerProcess;
  let shortCallback = "";

  beforeAll(async () => {
    const port = await freePort();
    shortCallback = `http://127.0.0.1:${port}/auth/callback`;
    shortIdp = await startTeamIdp(shortCallback, 4);
    providers.push(shortIdp);
    const shortRoot = writeProject({});
    cpSync(root, shortRoot, { recursive: true, filter: (src) => !/[/\\](audit|state|data)([/\\]|$)/.test(src) });
    writeProject({ "user.yml": readFileSync(join(root, "user.yml"), "utf8").replace(idp.url, shortIdp.url) }, shortRoot);
    short = await startHttpServer(shortRoot, ["--port", String(port)], { TEAM_API: `http://127.0.0.1:${(api.address() as AddressInfo).port}`, TEAM_APP_SECRET: "team-app-secret" });
  }, 60_000);

  afterAll(async () => {
    await short?.stop();
    shortIdp?.server.close();
  });

  it("the provider's token is renewed with its refresh token before it expires; the user goes on calling as themselves, with a new SDK client for the new token", async () => {
    const who = await signInWithClient(short.url, "gita", shortCallback);
    const client = new Client({ name: "t", version: "1" });
    await client.connect(new StreamableHTTPClientTransport(new URL(short.url), { authProvider: who }));
    expect(json(await client.callTool({ name: "upstream_me", arguments: {} }))).toEqual({ sub: "gita" });
    const first = apiSaw.at(-1)!.token;
    const before = json(await client.callTool({ name: "team_profile_me", arguments: {} }));
    // The provider's tokens live 4 s here: the server renews them in the last quarter of that.
    await new Promise((r) => setTimeout(r, 3_500));
    expect(json(await client.callTool({ name: "upstream_me", arguments: {} }))).toEqual({ sub: "gita" });
    expect(apiSaw.at(-1)!.token).not.toBe(first);
    const after = json(await client.callTool({ name: "team_profile_me", arguments: {} }));
    expect(after.sub).toBe("gita");
    expect(after.instance).not.toBe(before.instance);
    await client.close();
  });
});
