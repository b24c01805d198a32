// What checking an OAuth access token adds to a call: the same project served three times over HTTP in one run,
// with the static bearer token, signing users in against oidc-provider on 127.0.0.1 (JWT access tokens, checked
// with jose against the issuer's cached keys), and as an OAuth proxy in front of oidc-provider (this server's own
// opaque tokens, looked up by hash on every call); one client each, calling in alternating blocks of 100.
// `npm run bench:oauth`.
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { exportJWK, generateKeyPair } from "jose";
import Provider from "oidc-provider";
import { startTeamIdp } from "../test/serve/issuer.js";
import { signInWithClient } from "../test/serve/proxy-browser.js";
import { freePort } from "./nginx.js";
import { serveHttp } from "./serve-http.js";

const CLI = fileURLToPath(new URL("../bin/mxcp-gen.js", import.meta.url));
const BLOCKS = Number(process.env.BENCH_BLOCKS ?? 10);

async function issuer(): Promise<string> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const { privateKey } = await generateKeyPair("RS256", { extractable: true });
  const provider = new Provider(url, {
    jwks: { keys: [{ ...(await exportJWK(privateKey)), kid: "bench", alg: "RS256", use: "sig" }] },
    clients: [{ client_id: "bench", client_secret: "bench-secret", grant_types: ["client_credentials"], redirect_uris: [], response_types: [], scope: "mcp:tools" }],
    scopes: ["mcp:tools"],
    features: {
      clientCredentials: { enabled: true },
      devInteractions: { enabled: false },
      resourceIndicators: { enabled: true, useGrantedResource: () => true, getResourceServerInfo: (_c: unknown, resource: string) => ({ scope: "mcp:tools", audience: resource, accessTokenTTL: 3600, accessTokenFormat: "jwt", jwt: { sign: { alg: "RS256" } } }) },
    },
  } as never);
  await new Promise<void>((r) => createServer(provider.callback()).listen(port, "127.0.0.1", r));
  return url;
}

function project(userConfig: string): string {
  const root = mkdtempSync(join(tmpdir(), "mxcp-gen-bench-oauth-"));
  mkdirSync(join(root, "tools"));
  writeFileSync(join(root, "mxcp-site.yml"), "mxcp: 1\nproject: team\nprofile: default\n");
  writeFileSync(join(root, "user.yml"), userConfig);
  writeFileSync(join(root, "tools", "echo.yml"), "mxcp: 1\ntool:\n  name: echo\n  description: echo\n  parameters:\n    - {name: n, type: integer, description: n}\n  source:\n    code: SELECT $n AS n\n");
  return root;
}

async function client(url: string, token: string, session: (id: string) => void): Promise<Client> {
  const c = new Client({ name: "bench", version: "1" });
  const transport = new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: { authorization: `Bearer ${token}` } } });
  await c.connect(transport);
  session(transport.sessionId!);
  return c;
}

const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * q))]!;

async function main(): Promise<void> {
  const issuerUrl = await issuer();
  const staticRoot = project("mxcp: 1\nprojects: {}\n");
  const oauthRoot = project(`mxcp: 1\nprojects:\n  team:\n    profiles:\n      default:\n        auth:\n          provider: oidc\n          oidc:\n            issuer: ${issuerUrl}\n          authorization:\n            required_scopes: ["mcp:tools"]\n`);
  const env = (root: string, extra: Record<string, string> = {}) => ({ PATH: process.env.PATH ?? "", HOME: root, MXCP_CONFIG: join(root, "user.yml"), ...extra });
  const proxyPort = await freePort();
  const callback = `http://127.0.0.1:${proxyPort}/auth/callback`;
  const teamIdp = await startTeamIdp(callback, 3600);
  const proxyRoot = project(`mxcp: 1\nprojects:\n  team:\n    profiles:\n      default:\n        auth:\n          provider: oidc\n          oidc:\n            mode: proxy\n            issuer: ${teamIdp.url}\n            client_id: team-app\n            client_secret: team-app-secret\n`);
  const plain = await serveHttp(CLI, staticRoot, [], env(staticRoot, { MXCP_GEN_HTTP_TOKEN: "static-bench-token" }));
  const signed = await serveHttp(CLI, oauthRoot, [], env(oauthRoot));
  const proxied = await serveHttp(CLI, proxyRoot, ["--port", String(proxyPort)], env(proxyRoot));
  try {
    const issue = async () => {
      const r = await fetch(`${issuerUrl}/token`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", authorization: `Basic ${Buffer.from("bench:bench-secret").toString("base64")}` },
        body: new URLSearchParams({ grant_type: "client_credentials", scope: "mcp:tools", resource: signed.url }),
      });
      return ((await r.json()) as { access_token: string }).access_token;
    };
    const sessions = { a: "", b: "", c: "" };
    const a = await client(plain.url, "static-bench-token", (id) => (sessions.a = id));
    const b = await client(signed.url, await issue(), (id) => (sessions.b = id));
    const p = await client(proxied.url, (await signInWithClient(proxied.url, "bench", callback)).saved!.access_token, (id) => (sessions.c = id));
    for (let i = 0; i < 300; i++) {
      await a.callTool({ name: "echo", arguments: { n: i } });
      await b.callTool({ name: "echo", arguments: { n: i } });
      await p.callTool({ name: "echo", arguments: { n: i } });
    }
    const times = { plain: [] as number[], signed: [] as number[], proxied: [] as number[] };
    for (let block = 0; block < BLOCKS; block++) {
      for (const [c, into] of [[a, times.plain], [b, times.signed], [p, times.proxied]] as const) {
        for (let i = 0; i < 100; i++) {
          const t = performance.now();
          await c.callTool({ name: "echo", arguments: { n: i } });
          into.push(performance.now() - t);
        }
      }
    }
    // A token's first use goes through every check (the signature against the cached key set); later uses within
    // a minute are remembered. Raw requests in the clients' sessions, a fresh token each time for the signed server.
    const fresh = await Promise.all(Array.from({ length: 200 }, () => issue()));
    const raw = async (url: string, session: string, bearer: string, i: number) => {
      const t = performance.now();
      const res = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json, text/event-stream", authorization: `Bearer ${bearer}`, "mcp-session-id": session, "mcp-protocol-version": "2025-06-18" },
        body: JSON.stringify({ jsonrpc: "2.0", id: 10_000 + i, method: "tools/call", params: { name: "echo", arguments: { n: i } } }),
      });
      await res.text();
      if (!res.ok) throw new Error(`call failed: ${res.status}`);
      return performance.now() - t;
    };
    const firstUse = { plain: [] as number[], signed: [] as number[] };
    for (let i = 0; i < fresh.length; i++) {
      firstUse.plain.push(await raw(plain.url, sessions.a, "static-bench-token", i));
      firstUse.signed.push(await raw(signed.url, sessions.b, fresh[i]!, i));
    }
    await a.close();
    await b.close();
    await p.close();
    const line = (label: string, xs: number[]) => `${label}: median ${quantile(xs, 0.5).toFixed(2)} ms, p99 ${quantile(xs, 0.99).toFixed(2)} ms`;
    console.log(`machine: ${cpus().length} cores, node ${process.version}; ${BLOCKS} alternating blocks of 100 calls each`);
    console.log(line("static bearer token  ", times.plain));
    console.log(line("OAuth (JWT, JWKS)    ", times.signed));
    console.log(`a remembered token adds: median ${(quantile(times.signed, 0.5) - quantile(times.plain, 0.5)).toFixed(2)} ms, p99 ${(quantile(times.signed, 0.99) - quantile(times.plain, 0.99)).toFixed(2)} ms`);
    console.log(line("OAuth proxy (own token)", times.proxied));
    console.log(`the proxy's token check adds: median ${(quantile(times.proxied, 0.5) - quantile(times.plain, 0.5)).toFixed(2)} ms, p99 ${(quantile(times.proxied, 0.99) - quantile(times.plain, 0.99)).toFixed(2)} ms`);
    console.log(line("first use, static token", firstUse.plain));
    console.log(line("first use, fresh JWT   ", firstUse.signed));
    console.log(`checking a new token adds: median ${(quantile(firstUse.signed, 0.5) - quantile(firstUse.plain, 0.5)).toFixed(2)} ms, p99 ${(quantile(firstUse.signed, 0.99) - quantile(firstUse.plain, 0.99)).toFixed(2)} ms`);
  } finally {
    plain.child.kill("SIGTERM");
    signed.child.kill("SIGTERM");
    proxied.child.kill("SIGTERM");
    teamIdp.server.close();
    process.exit(0);
  }
}

await main();
