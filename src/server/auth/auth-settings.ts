// Who may call the HTTP server, as MXCP configures it: `auth:` in the user config's profile (provider, the
// provider's own block, `authorization.required_scopes`), with `serve --auth` and `--auth-issuer` winning.
// Two ways to sign users in:
// - resource server: an OIDC issuer (Keycloak, Auth0, Okta, Entra ID, …) issues tokens that name this server, and
//   they are checked here;
// - OAuth proxy: a provider whose access tokens are only its own (GitHub, Google, Atlassian, Salesforce, or an
//   OIDC issuer with `mode: proxy`) signs the user in through the team's registered app; this server keeps that
//   token and issues its own to the MCP client.
import { UPSTREAMS, type UpstreamDefaults } from "./upstream-providers.js";

interface CommonSettings {
  /** The user context's provider: oidc, keycloak, github, google, atlassian, salesforce. */
  provider: string;
  /** Scopes every call needs (`authorization.required_scopes`). */
  requiredScopes: string[];
}

export interface ResourceServerSettings extends CommonSettings {
  mode: "resource-server";
  issuer: string;
  /** This server's credentials at the issuer (introspection of opaque tokens). */
  clientId?: string | undefined;
  clientSecret?: string | undefined;
}

export interface ProxySettings extends CommonSettings {
  mode: "proxy";
  /** The team's app registered at the provider. */
  clientId: string;
  clientSecret: string;
  /** Scopes asked of the provider for each user. */
  scope: string;
  /** Where the provider sends the browser back, on this server (registered with the app). */
  callbackPath: string;
  /** The provider's endpoints; an OIDC issuer's are read from its metadata at start. */
  issuer?: string | undefined;
  authUrl?: string | undefined;
  tokenUrl?: string | undefined;
  userUrl?: string | undefined;
  /** How the provider's user record reads as a user context, and what else its authorization request needs. */
  defaults: UpstreamDefaults;
  /** Lifetime of this server's access tokens, seconds. */
  accessTokenSeconds: number;
  /** Where grants and registered clients are kept across restarts (encrypted), if anywhere. */
  persistencePath?: string | undefined;
}

export type AuthSettings = ResourceServerSettings | ProxySettings;

export class AuthSettingsError extends Error {}

const record = (v: unknown): Record<string, unknown> => (v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
const text = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);

/** The settings, or undefined when calls are not authenticated by an issuer (provider none, or no auth at all). */
export function authSettings(profileAuth: Record<string, unknown> | undefined, overrides: { provider?: string | undefined; issuer?: string | undefined } = {}): AuthSettings | undefined {
  const auth = record(profileAuth);
  const provider = overrides.provider ?? text(auth.provider) ?? "none";
  if (provider === "none") return undefined;
  const requiredScopes = (Array.isArray(record(auth.authorization).required_scopes) ? (record(auth.authorization).required_scopes as unknown[]) : []).map(String);
  const block = record(auth[provider]);
  if (!Object.hasOwn(UPSTREAMS, provider) && provider !== "keycloak") throw new AuthSettingsError(`Unknown auth provider '${provider}': choose none, oidc, keycloak, github, google, atlassian or salesforce`);
  let issuer = overrides.issuer;
  if (!issuer && provider === "oidc") issuer = text(block.issuer) ?? text(block.config_url)?.replace(/\/\.well-known\/(openid-configuration|oauth-authorization-server)$/, "");
  if (!issuer && provider === "keycloak") {
    const server = text(block.server_url);
    const realm = text(block.realm);
    if (server && realm) issuer = `${server.replace(/\/$/, "")}/realms/${encodeURIComponent(realm)}`;
  }
  const proxied = provider !== "oidc" && provider !== "keycloak" ? true : text(block.mode) === "proxy";
  if (text(block.mode) && !["proxy", "resource-server"].includes(text(block.mode)!)) throw new AuthSettingsError(`${provider}.mode is proxy or resource-server, not '${text(block.mode)}'`);
  if (proxied) return proxySettings(provider, block, auth, issuer, requiredScopes);
  if (!issuer) {
    throw new AuthSettingsError(provider === "oidc" ? "auth provider oidc needs oidc.issuer (or oidc.config_url) in the user config, or serve --auth-issuer URL" : "auth provider keycloak needs keycloak.server_url and keycloak.realm in the user config");
  }
  checkedUrl(issuer, "auth issuer");
  return { mode: "resource-server", provider, issuer, clientId: text(block.client_id), clientSecret: text(block.client_secret), requiredScopes };
}

function proxySettings(provider: string, block: Record<string, unknown>, auth: Record<string, unknown>, issuer: string | undefined, requiredScopes: string[]): ProxySettings {
  const defaults = UPSTREAMS[provider === "keycloak" ? "oidc" : provider]!;
  const clientId = text(block.client_id);
  const clientSecret = text(block.client_secret);
  if (!clientId || !clientSecret) {
    throw new AuthSettingsError(`auth provider ${provider} signs users in through your team's app registered at ${defaults.title}: set ${provider}.client_id and ${provider}.client_secret in the user config (secret references such as \${VAR} are read at start)`);
  }
  const url = (key: string, fallback: string | undefined) => {
    const value = text(block[key]) ?? fallback;
    if (value) checkedUrl(value, `${provider}.${key}`);
    return value;
  };
  const authUrl = url("auth_url", defaults.authUrl);
  const tokenUrl = url("token_url", defaults.tokenUrl);
  const userUrl = url("user_url", defaults.userUrl);
  if (issuer) checkedUrl(issuer, "auth issuer");
  if (!issuer && (!authUrl || !tokenUrl)) throw new AuthSettingsError(`auth provider ${provider} in proxy mode needs ${provider}.issuer (or auth_url and token_url)`);
  const callbackPath = text(block.callback_path) ?? "/auth/callback";
  if (!/^\/[\w\-./]*$/.test(callbackPath) || callbackPath.includes("..") || callbackPath === "/mcp") throw new AuthSettingsError(`${provider}.callback_path must be a plain path on this server such as /auth/callback, not '${callbackPath}'`);
  const seconds = auth.access_token_seconds === undefined ? 3600 : Number(auth.access_token_seconds);
  if (!Number.isInteger(seconds) || seconds < 60 || seconds > 86_400) throw new AuthSettingsError(`auth.access_token_seconds is a whole number of seconds from 60 to 86400`);
  const persistence = record(auth.persistence);
  return {
    mode: "proxy",
    provider,
    requiredScopes,
    clientId,
    clientSecret,
    scope: text(block.scope) ?? defaults.scope,
    callbackPath,
    issuer,
    authUrl,
    tokenUrl,
    userUrl,
    defaults,
    accessTokenSeconds: seconds,
    persistencePath: text(persistence.path),
  };
}

function checkedUrl(value: string, what: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new AuthSettingsError(`The ${what} '${value}' is not a URL`);
  }
  // Keys and tokens come from there: over plain HTTP anyone on the path could swap them.
  if (url.protocol !== "https:" && !["localhost", "127.0.0.1", "[::1]"].includes(url.hostname)) throw new AuthSettingsError(`The ${what} must be an https URL (plain http only on loopback): ${value}`);
  return url;
}
