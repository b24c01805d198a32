// Issue 26 item 1, as far as it is built: the user config's `auth` (MXCP's shape) and `serve --auth` read into the
// issuer whose tokens are accepted; what cannot be checked yet, or safely, is refused at start with the reason.
import { describe, expect, it } from "vitest";
import { authSettings } from "../../src/server/auth/auth-settings.js";

describe("auth settings", () => {
  it("reads oidc (issuer or config_url), keycloak (server and realm), required scopes and the server's credentials", () => {
    expect(authSettings(undefined)).toBeUndefined();
    expect(authSettings({ provider: "none" })).toBeUndefined();
    expect(authSettings({ provider: "oidc", oidc: { issuer: "https://id.example.com", client_id: "mcp", client_secret: "s" }, authorization: { required_scopes: ["mcp:tools"] } })).toEqual({
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
    expect(() => authSettings({ provider: "github", github: { client_id: "x" } })).toThrow(/github is not supported yet.*OAuth proxy/);
    expect(() => authSettings({ provider: "oidc" })).toThrow(/needs oidc.issuer/);
    expect(() => authSettings({ provider: "oidc", oidc: { issuer: "http://id.example.com" } })).toThrow(/must be an https URL/);
    expect(authSettings({ provider: "oidc", oidc: { issuer: "http://127.0.0.1:4444" } })?.issuer).toBe("http://127.0.0.1:4444");
    expect(() => authSettings({ provider: "saml" })).toThrow(/Unknown auth provider 'saml'/);
  });
});
