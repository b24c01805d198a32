// Setting up the OAuth proxy when the server starts: where the provider's endpoints are (its issuer's metadata,
// unless set), this server's own authorization-server metadata (its endpoints beside /mcp at the public base),
// and where sign-ins are kept (memory; a directory when configured, or shared by replicas).
import { join, resolve } from "node:path";
import type { ProxySettings } from "./auth-settings.js";
import { PROXY_PATHS, type HttpAuth } from "./http-auth.js";
import { OAuthProxy } from "./oauth-proxy.js";
import { ProxyStore } from "./proxy-store.js";
import { discoverIssuer } from "./token-verifier.js";

export interface ProxyServer {
  /** This server's MCP endpoint as clients reach it. */
  resource: string;
  resourceName: string;
  serverName: string;
  /** The project's folder, its profile, and its replica name when it is one of several. */
  root: string;
  profile: string;
  replica?: string | undefined;
}

export async function proxySignIn(settings: ProxySettings, server: ProxyServer): Promise<HttpAuth> {
  const found = settings.issuer ? ((await discoverIssuer(settings.issuer)) as { authorization_endpoint?: string; token_endpoint?: string; userinfo_endpoint?: string }) : {};
  const authUrl = settings.authUrl ?? found.authorization_endpoint;
  const tokenUrl = settings.tokenUrl ?? found.token_endpoint;
  const userUrl = settings.userUrl ?? found.userinfo_endpoint;
  if (!authUrl || !tokenUrl || !userUrl) {
    const [what, key] = !authUrl ? ["authorization", "auth_url"] : !tokenUrl ? ["token", "token_url"] : ["userinfo", "user_url"];
    throw new Error(`auth provider ${settings.provider}: the issuer's metadata names no ${what} endpoint; set ${settings.provider}.${key}`);
  }
  const publicResource = new URL(server.resource);
  if (!publicResource.pathname.endsWith("/mcp")) throw new Error(`With an OAuth proxy the public URL must end in /mcp (its sign-in pages sit beside it), not ${server.resource}`);
  const base = `${publicResource.origin}${publicResource.pathname.slice(0, -"/mcp".length)}`;
  const issuer = new URL(base || "/", publicResource.origin).href;
  const metadata = {
    issuer,
    authorization_endpoint: `${base}${PROXY_PATHS.authorize}`,
    token_endpoint: `${base}${PROXY_PATHS.token}`,
    registration_endpoint: `${base}${PROXY_PATHS.register}`,
    revocation_endpoint: `${base}${PROXY_PATHS.revoke}`,
    response_types_supported: ["code"],
    grant_types_supported: ["authorization_code", "refresh_token"],
    code_challenge_methods_supported: ["S256"],
    token_endpoint_auth_methods_supported: ["client_secret_post", "none"],
    revocation_endpoint_auth_methods_supported: ["client_secret_post", "none"],
    client_id_metadata_document_supported: true,
    ...(settings.requiredScopes.length ? { scopes_supported: settings.requiredScopes } : {}),
  };
  // Replicas share their sign-ins through one directory (a sign-in can begin on one and end on another).
  const directory = settings.persistencePath ?? (server.replica ? join("data", `oauth-${server.profile}`) : undefined);
  const store = new ProxyStore(directory ? { directory: resolve(server.root, directory), key: ProxyStore.fileKey(settings.clientSecret) } : undefined);
  const proxy = new OAuthProxy({
    settings,
    endpoints: { authUrl, tokenUrl, userUrl },
    resource: server.resource,
    base,
    issuer,
    serverName: server.serverName,
    store,
    allowInternalClientDocuments: ["localhost", "127.0.0.1", "[::1]"].includes(publicResource.hostname),
  });
  const kept = directory ? `kept in ${resolve(server.root, directory)}` : "kept in memory until the server stops";
  const summary = `Sign-in: ${settings.defaults.title} through this server (OAuth proxy, app ${settings.clientId}); the app's callback must be ${base}${settings.callbackPath}; sign-ins ${kept}`;
  return { verifier: proxy, metadata, resource: server.resource, requiredScopes: settings.requiredScopes, resourceName: server.resourceName, proxy, summary };
}
