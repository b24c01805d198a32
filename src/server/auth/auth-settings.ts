// Who may call the HTTP server, as MXCP configures it: `auth:` in the user config's profile (provider, the
// provider's own block, `authorization.required_scopes`), with `serve --auth` and `--auth-issuer` winning.
// Providers whose tokens name this server (OIDC issuers: Keycloak, Auth0, Okta, Entra ID, …) are checked here; the
// named providers whose access tokens are only theirs (GitHub, Google, Atlassian, Salesforce) need a proxy that
// issues this server's own tokens, which is not built yet, and are refused at start saying so.

export interface AuthSettings {
  /** The user context's provider: oidc or keycloak. */
  provider: string;
  issuer: string;
  /** This server's credentials at the issuer (introspection of opaque tokens). */
  clientId?: string | undefined;
  clientSecret?: string | undefined;
  /** Scopes every call needs (`authorization.required_scopes`). */
  requiredScopes: string[];
}

export class AuthSettingsError extends Error {}

const PROXIED = new Set(["github", "google", "atlassian", "salesforce"]);

const record = (v: unknown): Record<string, unknown> => (v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
const text = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);

/** The settings, or undefined when calls are not authenticated by an issuer (provider none, or no auth at all). */
export function authSettings(profileAuth: Record<string, unknown> | undefined, overrides: { provider?: string | undefined; issuer?: string | undefined } = {}): AuthSettings | undefined {
  const auth = record(profileAuth);
  const provider = overrides.provider ?? text(auth.provider) ?? "none";
  if (provider === "none") return undefined;
  const requiredScopes = (Array.isArray(record(auth.authorization).required_scopes) ? (record(auth.authorization).required_scopes as unknown[]) : []).map(String);
  if (PROXIED.has(provider)) {
    throw new AuthSettingsError(
      `auth provider ${provider} is not supported yet: its access tokens are ${provider}'s own, and checking them needs an OAuth proxy that issues this server's tokens. Use provider oidc with an identity provider that issues JWT access tokens for this server (Keycloak, Auth0, Okta, Entra ID)`,
    );
  }
  const block = record(auth[provider]);
  let issuer = overrides.issuer;
  if (!issuer && provider === "oidc") issuer = text(block.issuer) ?? text(block.config_url)?.replace(/\/\.well-known\/(openid-configuration|oauth-authorization-server)$/, "");
  if (!issuer && provider === "keycloak") {
    const server = text(block.server_url);
    const realm = text(block.realm);
    if (server && realm) issuer = `${server.replace(/\/$/, "")}/realms/${encodeURIComponent(realm)}`;
  }
  if (provider !== "oidc" && provider !== "keycloak") throw new AuthSettingsError(`Unknown auth provider '${provider}': choose none, oidc or keycloak`);
  if (!issuer) {
    throw new AuthSettingsError(provider === "oidc" ? "auth provider oidc needs oidc.issuer (or oidc.config_url) in the user config, or serve --auth-issuer URL" : "auth provider keycloak needs keycloak.server_url and keycloak.realm in the user config");
  }
  let url: URL;
  try {
    url = new URL(issuer);
  } catch {
    throw new AuthSettingsError(`The auth issuer '${issuer}' is not a URL`);
  }
  // Tokens are checked against keys fetched from the issuer: over plain HTTP anyone on the path could swap them.
  if (url.protocol !== "https:" && !["localhost", "127.0.0.1", "[::1]"].includes(url.hostname)) throw new AuthSettingsError(`The auth issuer must be an https URL (plain http only on loopback): ${issuer}`);
  return { provider, issuer, clientId: text(block.client_id), clientSecret: text(block.client_secret), requiredScopes };
}
