// oidc-provider (a certified OpenID provider) on 127.0.0.1 as the OAuth issuer of the tests: each user is a client
// that gets tokens for itself (client credentials), dynamic registration and the development sign-in pages for the
// SDK client's full flow, introspection and revocation for opaque tokens.
import { createServer as createHttpServer, type Server } from "node:http";
import { exportJWK, generateKeyPair } from "jose";
import Provider from "oidc-provider";
import { freePort } from "../../bench/nginx.js";

export interface Issuer {
  url: string;
  server: Server;
}

/** oidc-provider on a free loopback port with its own RS256 signing key and the rest of its configuration. */
async function startProvider(config: Record<string, unknown>): Promise<Issuer> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const { privateKey } = await generateKeyPair("RS256", { extractable: true });
  const jwk = { ...(await exportJWK(privateKey)), kid: `key-${port}`, alg: "RS256", use: "sig" };
  const provider = new Provider(url, { jwks: { keys: [jwk] }, ...config } as never);
  const server = createHttpServer(provider.callback());
  await new Promise<void>((r) => server.listen(port, "127.0.0.1", r));
  return { url, server };
}

/** The users (OAuth clients getting tokens for themselves), and the scopes each may ask for. */
export const CLIENTS = [
  { client_id: "alice", scope: "mcp:tools admin" },
  { client_id: "bob", scope: "mcp:tools" },
  { client_id: "limited", scope: "admin" },
  { client_id: "shortlived", scope: "mcp:tools" },
  { client_id: "carol", scope: "mcp:tools" },
];

/** An oidc-provider on 127.0.0.1 with its own signing key: client-credentials tokens for the resource asked for. */
export function startIssuer(users: { client_id: string; scope: string }[] = CLIENTS): Promise<Issuer> {
  return startProvider({
    clients: [
      ...users.map((c) => ({ client_id: c.client_id, client_secret: `${c.client_id}-secret`, grant_types: ["client_credentials"], redirect_uris: [], response_types: [], scope: c.scope })),
      // The MCP server's own registration, for introspecting opaque tokens.
      { client_id: "mcp-server", client_secret: "mcp-server-secret", grant_types: [], redirect_uris: [], response_types: [] },
    ],
    scopes: ["mcp:tools", "admin"],
    features: {
      clientCredentials: { enabled: true },
      introspection: { enabled: true, allowedPolicy: async () => true },
      revocation: { enabled: true },
      // The sign-in pages a person sees (the test fills them in with HTTP requests), and dynamic registration.
      devInteractions: { enabled: true },
      registration: { enabled: true },
      resourceIndicators: {
        enabled: true,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx: unknown, resource: string, client: { clientId: string }) => ({
          scope: "mcp:tools admin",
          audience: resource,
          accessTokenTTL: client.clientId === "shortlived" ? 3 : 300,
          accessTokenFormat: client.clientId === "carol" ? "opaque" : "jwt",
          ...(client.clientId === "carol" ? {} : { jwt: { sign: { alg: "RS256" } } }),
        }),
      },
    },
  });
}

/** A client-credentials access token of `client` for `resource`. */
export async function token(issuer: Issuer, client: string, resource: string, scope: string): Promise<string> {
  const r = await fetch(`${issuer.url}/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", authorization: `Basic ${Buffer.from(`${client}:${client}-secret`).toString("base64")}` },
    body: new URLSearchParams({ grant_type: "client_credentials", scope, resource }),
  });
  const body = (await r.json()) as { access_token?: string };
  if (!body.access_token) throw new Error(`no token for ${client}: ${JSON.stringify(body)}`);
  return body.access_token;
}

/**
 * oidc-provider as a provider MCP clients cannot register with (no dynamic registration), with one app registered
 * by hand: the team's, whose callback is the MCP server's. Its userinfo says each user's email and name; its access
 * tokens live `accessTokenSeconds`, a refresh token comes with them, and with `rotateRefreshTokens` each refresh
 * token is good for one use.
 */
export function startTeamIdp(callback: string, accessTokenSeconds = 300, rotateRefreshTokens = false): Promise<Issuer> {
  return startProvider({
    clients: [
      {
        client_id: "team-app",
        client_secret: "team-app-secret",
        token_endpoint_auth_method: "client_secret_post",
        grant_types: ["authorization_code", "refresh_token"],
        response_types: ["code"],
        redirect_uris: [callback],
        scope: "openid profile email offline_access",
      },
    ],
    scopes: ["openid", "profile", "email", "offline_access"],
    claims: { openid: ["sub"], email: ["email"], profile: ["name", "preferred_username"] },
    findAccount: async (_ctx: unknown, sub: string) => ({
      accountId: sub,
      claims: async () => ({ sub, email: `${sub}@example.com`, name: `${sub[0]!.toUpperCase()}${sub.slice(1)} Example`, preferred_username: sub }),
    }),
    issueRefreshToken: async (_ctx: unknown, client: { grantTypeAllowed: (g: string) => boolean }) => client.grantTypeAllowed("refresh_token"),
    // Rotating: a refresh token used once is spent, and using it again is refused (and ends the provider's grant).
    ...(rotateRefreshTokens ? { rotateRefreshToken: () => true } : {}),
    ttl: { AccessToken: accessTokenSeconds },
    features: { devInteractions: { enabled: true }, revocation: { enabled: true } },
  });
}
