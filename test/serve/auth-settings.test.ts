// Issue 26 items 1 and 3: the user config's `auth` (MXCP's shape) and `serve --auth` read into either the issuer
// whose tokens are accepted, or the provider an OAuth proxy signs users in with; what cannot be used safely is
// refused at start with the reason.
import { describe, expect, it } from "vitest";
import { authSettings } from "../../src/server/auth/auth-settings.js";

describe("auth settings", () => {
  it("reads oidc (issuer or config_url), keycloak (server and realm), required scopes and the server's credentials", () => {
    expect(authSettings(undefined)).toBeUndefined();
    expect(authSettings({ provider: "none" })).toBeUndefined();
    expect(authSettings({ provider: "oidc", oidc: { issuer: "https://id.example.com", client_id: "mcp", client_secret: "s" }, authorization: { required_scopes: ["mcp:tools"] } })).toEqual({
      mode: "resource-server",
      provider: "oidc",
      issuer: "https://id.example.com",
      clientId: "mcp",
      clientSecret: "s",
      requiredScopes: ["mcp:tools"],
    });
    expect(authSettings({ provider: "oidc", oidc: { config_url: "https://id.example.com/.well-known/openid-configuration" } })?.issuer).toBe("https://id.example.com");
    expect(authSettings({ provider: "keycloak", keycloak: { server_url: "https://kc.example.com/", realm: "team" } })?.issuer).toBe("https://kc.example.com/realms/team");
    // The flags win over the profile.
    expect(authSettings({ provider: "oidc", oidc: { issuer: "https://a.example.com" } }, { issuer: "https://b.example.com" })?.issuer).toBe("https://b.example.com");
    expect(authSettings({ provider: "oidc", oidc: { issuer: "https://a.example.com" } }, { provider: "none" })).toBeUndefined();
  });

  it("refuses what it cannot check: providers whose tokens are their own, a missing issuer, a plain-http issuer off loopback", () => {
    expect(() => authSettings({ provider: "github", github: { client_id: "x" } })).toThrow(/github signs users in through your team's app.*github.client_secret/);
    expect(() => authSettings({ provider: "google", google: { client_id: "x", client_secret: "y", token_url: "http://tokens.example.com/t" } })).toThrow(/google.token_url must be an https URL/);
    expect(() => authSettings({ provider: "github", github: { client_id: "x", client_secret: "y", callback_path: "/../mcp" } })).toThrow(/callback_path must be a plain path/);
    expect(() => authSettings({ provider: "oidc", oidc: { mode: "relay", issuer: "https://id.example.com" } })).toThrow(/oidc.mode is proxy or resource-server/);
    expect(() => authSettings({ provider: "github", access_token_seconds: 5, github: { client_id: "x", client_secret: "y" } })).toThrow(/access_token_seconds/);
    expect(() => authSettings({ provider: "oidc" })).toThrow(/needs oidc.issuer/);
    expect(() => authSettings({ provider: "oidc", oidc: { issuer: "http://id.example.com" } })).toThrow(/must be an https URL/);
    expect(authSettings({ provider: "oidc", oidc: { issuer: "http://127.0.0.1:4444" } })?.issuer).toBe("http://127.0.0.1:4444");
    expect(() => authSettings({ provider: "saml" })).toThrow(/Unknown auth provider 'saml'/);
  });

  it("the named providers sign users in through this server (a proxy) at their own endpoints, each changeable; an OIDC issuer can be proxied too", () => {
    const github = authSettings({ provider: "github", github: { client_id: "app", client_secret: "s" }, persistence: { path: "state/oauth.json" } });
    expect(github).toMatchObject({ mode: "proxy", provider: "github", clientId: "app", clientSecret: "s", authUrl: "https://github.com/login/oauth/authorize", tokenUrl: "https://github.com/login/oauth/access_token", userUrl: "https://api.github.com/user", callbackPath: "/auth/callback", accessTokenSeconds: 3600, persistencePath: "state/oauth.json" });
    expect(authSettings({ provider: "google", google: { client_id: "a", client_secret: "b" } })).toMatchObject({ mode: "proxy", tokenUrl: "https://oauth2.googleapis.com/token", scope: "openid email profile" });
    expect(authSettings({ provider: "atlassian", atlassian: { client_id: "a", client_secret: "b", scope: "read:jira-work offline_access" } })).toMatchObject({ scope: "read:jira-work offline_access", userUrl: "https://api.atlassian.com/me" });
    expect(authSettings({ provider: "salesforce", salesforce: { client_id: "a", client_secret: "b", auth_url: "https://test.salesforce.com/services/oauth2/authorize" } })).toMatchObject({ authUrl: "https://test.salesforce.com/services/oauth2/authorize" });
    expect(authSettings({ provider: "oidc", oidc: { mode: "proxy", issuer: "https://id.example.com", client_id: "a", client_secret: "b" } })).toMatchObject({ mode: "proxy", issuer: "https://id.example.com", authUrl: undefined });
    expect(authSettings({ provider: "keycloak", keycloak: { mode: "proxy", server_url: "https://kc.example.com", realm: "t", client_id: "a", client_secret: "b" } })).toMatchObject({ mode: "proxy", issuer: "https://kc.example.com/realms/t" });
  });
});
