// Issue 26, item 7: an API whose document offers only a user's OAuth (authorization code flow). `mxcp-gen login`
// signs the user in (PKCE, the browser's return to a loopback address) with oidc-provider on 127.0.0.1 as the API's
// authorization server, keeps the refresh token in the user config (0600, never printed), and the served tools
// then call the API with access tokens the runtime gets from it, again when one expires. A stand-in API checks
// each token at the issuer (introspection).
import { spawn } from "node:child_process";
import { readFileSync, statSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { exportJWK, generateKeyPair } from "jose";
import Provider from "oidc-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../../bench/nginx.js";
import { CLI, runCli, tempDir } from "../helpers.js";
import { stdioClient, writeUserConfig } from "./servers.js";
import { signInAs } from "./sign-in.js";

let issuerUrl = "";
let issuerServer: Server;
let api: Server;
let root = "";
let loginPort = 0;
/** What the stand-in API was called with: each access token and whom the issuer said it is for. */
const seen: { token: string; sub: string }[] = [];

beforeAll(async () => {
  const port = await freePort();
  loginPort = await freePort();
  issuerUrl = `http://127.0.0.1:${port}`;
  const { privateKey } = await generateKeyPair("RS256", { extractable: true });
  const provider = new Provider(issuerUrl, {
    jwks: { keys: [{ ...(await exportJWK(privateKey)), kid: "login", alg: "RS256", use: "sig" }] },
    clients: [
      // The user's app registered at the API, with this machine's loopback address to come back to.
      { client_id: "app", client_secret: "app-secret", grant_types: ["authorization_code", "refresh_token"], response_types: ["code"], redirect_uris: [`http://127.0.0.1:${loginPort}/callback`] },
      // The API's own credentials, to ask the issuer about tokens.
      { client_id: "api", client_secret: "api-secret", grant_types: [], response_types: [], redirect_uris: [] },
    ],
    features: { introspection: { enabled: true, allowedPolicy: async () => true }, devInteractions: { enabled: true } },
    issueRefreshToken: async () => true,
    ttl: { AccessToken: 2, AuthorizationCode: 60, RefreshToken: 3600, Grant: 3600, Session: 3600, Interaction: 600 },
  } as never);
  issuerServer = createServer(provider.callback());
  await new Promise<void>((r) => issuerServer.listen(port, "127.0.0.1", r));

  api = createServer(async (req, res) => {
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1] ?? "";
    const r = await fetch(`${issuerUrl}/token/introspection`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", authorization: `Basic ${Buffer.from("api:api-secret").toString("base64")}` },
      body: new URLSearchParams({ token }),
    });
    const info = (await r.json()) as { active: boolean; sub?: string };
    if (!info.active) return res.writeHead(401, { "content-type": "application/json" }).end('{"message":"token not active"}');
    seen.push({ token, sub: info.sub ?? "" });
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ id: info.sub, plan: "pro" }));
  });
  await new Promise<void>((r) => api.listen(0, "127.0.0.1", r));

  const spec = {
    openapi: "3.0.3",
    info: { title: "Music", version: "1" },
    servers: [{ url: "https://music.invalid" }],
    components: {
      securitySchemes: {
        user: { type: "oauth2", flows: { authorizationCode: { authorizationUrl: `${issuerUrl}/auth`, tokenUrl: `${issuerUrl}/token`, scopes: { openid: "who you are", offline_access: "stay signed in" } } } },
      },
    },
    security: [{ user: ["openid"] }],
    paths: { "/me": { get: { operationId: "getMe", summary: "The signed-in user", responses: { "200": { description: "you", content: { "application/json": { schema: { type: "object", properties: { id: { type: "string" }, plan: { type: "string" } } } } } } } } } },
  };
  root = tempDir("mxcp-gen-login-");
  writeFileSync(join(root, "spec.json"), JSON.stringify(spec));
  const gen = await runCli(["openapi", "spec.json", "--name", "music", "--out", root], { cwd: root });
  expect(gen.code, gen.stderr).toBe(0);
  writeUserConfig(root, "music", { base_url: `http://127.0.0.1:${(api.address() as AddressInfo).port}`, client_id: "app", client_secret: "app-secret" });
}, 120_000);

afterAll(() => {
  issuerServer?.close();
  api?.closeAllConnections();
  api?.close();
});

const env = () => ({ MXCP_CONFIG: join(root, "user.yml") });

describe("mxcp-gen login", () => {
  it("secrets check says a sign-in is needed; login signs in, keeps the refresh token (0600, never printed); the tools call as the user, refreshing", { timeout: 120_000 }, async () => {
    const before = await runCli(["secrets", "check"], { cwd: root, env: env() });
    expect(before.code).toBe(1);
    expect(before.stdout).toContain("✗ music: sign-in needed");
    expect(before.stdout).toContain("Fix: mxcp-gen login music");
    // The sample tells the user, too.
    expect(readFileSync(join(root, "config.music.sample.yml"), "utf8")).toContain("# Sign in: mxcp-gen login music");

    const child = spawn(process.execPath, [CLI, "login", "music", "--no-browser", "--port", String(loginPort)], { cwd: root, env: { PATH: process.env.PATH ?? "", HOME: root, ...env() } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((r) => child.on("exit", r));
    for (let i = 0; i < 200 && !/^ {2}(http\S+)$/m.test(stderr); i++) await new Promise((r) => setTimeout(r, 25));
    const address = new URL(/^ {2}(http\S+)$/m.exec(stderr)![1]!);
    expect(address.origin).toBe(issuerUrl);
    expect(address.searchParams.get("code_challenge_method")).toBe("S256");
    expect(address.searchParams.get("scope")).toBe("openid offline_access");
    // Hostile: a return to the loopback address without this sign-in's state is refused, and changes nothing.
    const forged = await fetch(`http://127.0.0.1:${loginPort}/callback?code=attacker-code&state=guess`);
    expect(forged.status).toBe(400);
    // The browser: sign in and consent, then come back to the command's loopback address.
    const back = await signInAs("dora", address, `http://127.0.0.1:${loginPort}/callback`);
    expect((await fetch(back)).status).toBe(200);
    expect(await exited, stderr).toBe(0);
    expect(stdout).toContain("Signed in to music");

    const config = readFileSync(join(root, "user.yml"), "utf8");
    const refresh = /refresh_token: (\S+)/.exec(config)?.[1];
    expect(refresh).toBeTruthy();
    expect(statSync(join(root, "user.yml")).mode & 0o777).toBe(0o600);
    expect(stdout + stderr).not.toContain(refresh!);
    // The other parameters stay as they were.
    expect(config).toMatch(/client_id: "?app"?\n/);

    const after = await runCli(["secrets", "check"], { cwd: root, env: env() });
    expect(after.code, after.stdout).toBe(0);

    const { client } = await stdioClient(root, [], env());
    try {
      const first = (await client.callTool({ name: "music_get_me", arguments: {} })) as CallToolResult;
      expect(first.structuredContent).toMatchObject({ id: "dora" });
      // The access token lives 2 s: the next call gets a new one from the refresh token.
      await new Promise((r) => setTimeout(r, 2500));
      const second = (await client.callTool({ name: "music_get_me", arguments: {} })) as CallToolResult;
      expect(second.structuredContent).toMatchObject({ id: "dora" });
    } finally {
      await client.close();
    }
    expect(seen.map((s) => s.sub)).toEqual(["dora", "dora"]);
    expect(seen[0]!.token).not.toBe(seen[1]!.token);
    expect(seen.some((s) => s.token === refresh)).toBe(false);
  });

  it("says what is missing: no client id, or an API that offers no sign-in", async () => {
    const bare = tempDir("mxcp-gen-login-bare-");
    writeFileSync(join(bare, "mxcp-site.yml"), readFileSync(join(root, "mxcp-site.yml")));
    const none = await runCli(["login", "music"], { cwd: bare });
    expect(none.code).toBe(1);
    expect(none.stderr).toContain("No generated API 'music' in this project");
    writeUserConfig(root, "music", { base_url: "http://127.0.0.1:1" });
    const noClient = await runCli(["login", "music", "--no-browser"], { cwd: root, env: env() });
    expect(noClient.code).toBe(1);
    expect(noClient.stderr).toContain("needs the client id of your app registered at the API: mxcp-gen secrets add music --set client_id=");
  });
});
