// The HTTP server as an OAuth 2.1 resource server (the MCP authorization spec): an access token is accepted only
// when its issuer is the configured one, it was issued for this server (audience or resource, RFC 8707), it has not
// expired and its signature checks against the issuer's keys (JWKS, cached, fetched again for an unknown key id);
// a token that is no JWT is asked about at the issuer's introspection endpoint (RFC 7662). The token the client
// sends is never sent anywhere else: it identifies the user, and nothing more.
import { createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWTPayload } from "jose";
import { InvalidTokenError, ServerError } from "@modelcontextprotocol/sdk/server/auth/errors.js";
import type { OAuthTokenVerifier } from "@modelcontextprotocol/sdk/server/auth/provider.js";
import type { AuthInfo } from "@modelcontextprotocol/sdk/server/auth/types.js";
import type { OAuthMetadata } from "@modelcontextprotocol/sdk/shared/auth.js";
import type { UserContext } from "../../runtime/state.js";

/** Where tokens come from and what they must say. */
export interface IssuerTrust {
  /** The authorization server's issuer identifier, exactly as its tokens carry it. */
  issuer: string;
  /** This server's MCP endpoint as its tokens name it (`aud`, or `resource`). */
  resource: string;
  /** Read from the issuer's metadata. */
  metadata: OAuthMetadata & { jwks_uri?: string };
  /** For introspection of opaque tokens: this server's credentials at the issuer. */
  clientId?: string | undefined;
  clientSecret?: string | undefined;
  /** The user context's `provider` (oidc, github, …). */
  provider: string;
}

/** Read an issuer's metadata (RFC 8414, else OpenID discovery); its `issuer` must be the one asked for. */
export async function discoverIssuer(issuer: string, timeoutMs = 10_000): Promise<OAuthMetadata & { jwks_uri?: string }> {
  const base = issuer.replace(/\/$/, "");
  const tried: string[] = [];
  for (const path of ["/.well-known/oauth-authorization-server", "/.well-known/openid-configuration"]) {
    const url = `${base}${path}`;
    tried.push(url);
    let response: Response;
    try {
      response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), headers: { accept: "application/json" } });
    } catch (e) {
      throw new Error(`The issuer ${issuer} could not be reached at ${url}: ${(e as Error).message}`);
    }
    if (!response.ok) continue;
    const metadata = (await response.json()) as OAuthMetadata & { jwks_uri?: string };
    if (metadata.issuer !== issuer) throw new Error(`The issuer at ${url} says it is ${JSON.stringify(metadata.issuer)}, not ${issuer}: tokens from it would not be accepted`);
    return metadata;
  }
  throw new Error(`No authorization server metadata for ${issuer} (tried ${tried.join(", ")})`);
}

/** Signature algorithms accepted: asymmetric only (a shared-secret HS256 token could be forged by anyone holding it). */
const ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"];

const isJwt = (token: string) => /^[\w-]+\.[\w-]+\.[\w-]*$/.test(token);

export class IssuerTokenVerifier implements OAuthTokenVerifier {
  private readonly keys: ReturnType<typeof createRemoteJWKSet> | undefined;

  constructor(private readonly trust: IssuerTrust) {
    // jose keeps the key set, and fetches it again (at most every 30 s) when a token names a key it has not seen.
    this.keys = trust.metadata.jwks_uri ? createRemoteJWKSet(new URL(trust.metadata.jwks_uri), { cooldownDuration: 30_000, cacheMaxAge: 10 * 60_000 }) : undefined;
  }

  async verifyAccessToken(token: string): Promise<AuthInfo> {
    const claims = isJwt(token) ? await this.verifyJwt(token) : await this.introspect(token);
    // A client's own token (client credentials) names the client as its user.
    if (claims.sub === undefined && typeof claims.client_id === "string") claims.sub = claims.client_id;
    if (typeof claims.sub !== "string" || claims.sub === "") throw new InvalidTokenError("Token names no user (no sub)");
    const scopes = typeof claims.scope === "string" ? claims.scope.split(" ").filter(Boolean) : Array.isArray(claims.scp) ? claims.scp.map(String) : [];
    const clientId = String(claims.client_id ?? claims.azp ?? claims.sub ?? "");
    return {
      token,
      clientId,
      scopes,
      ...(typeof claims.exp === "number" ? { expiresAt: claims.exp } : {}),
      resource: new URL(this.trust.resource),
      extra: { user: userOf(claims, scopes, this.trust.provider) },
    };
  }

  private async verifyJwt(token: string): Promise<JWTPayload> {
    if (!this.keys) throw new InvalidTokenError("This server accepts no JWT: its issuer publishes no key set");
    try {
      const { payload } = await jwtVerify(token, this.keys, { issuer: this.trust.issuer, audience: this.trust.resource, algorithms: ALGORITHMS, clockTolerance: 30, requiredClaims: ["exp"] });
      return payload;
    } catch (e) {
      if (e instanceof joseErrors.JWTExpired) throw new InvalidTokenError("Token has expired");
      if (e instanceof joseErrors.JWTClaimValidationFailed) {
        throw new InvalidTokenError(e.claim === "aud" ? "Token was not issued for this resource" : e.claim === "iss" ? "Token was not issued by this server's issuer" : `Token claim ${e.claim} is not valid`);
      }
      if (e instanceof joseErrors.JOSEError) throw new InvalidTokenError(`Token is not valid (${e.code})`);
      throw new ServerError(`Token could not be checked: ${(e as Error).message}`);
    }
  }

  /** RFC 7662, with this server's credentials; the answer must be active, for this resource, from this issuer. */
  private async introspect(token: string): Promise<JWTPayload> {
    const endpoint = this.trust.metadata.introspection_endpoint;
    if (!endpoint || !this.trust.clientId) throw new InvalidTokenError("Token is not a JWT, and no introspection is configured for opaque tokens");
    let answer: Record<string, unknown>;
    try {
      const response = await fetch(endpoint, {
        method: "POST",
        signal: AbortSignal.timeout(10_000),
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          accept: "application/json",
          authorization: `Basic ${Buffer.from(`${encodeURIComponent(this.trust.clientId)}:${encodeURIComponent(this.trust.clientSecret ?? "")}`).toString("base64")}`,
        },
        body: new URLSearchParams({ token, token_type_hint: "access_token" }),
      });
      if (!response.ok) throw new Error(`introspection answered ${response.status}`);
      answer = (await response.json()) as Record<string, unknown>;
    } catch (e) {
      throw new ServerError(`Token could not be checked: ${(e as Error).message}`);
    }
    if (answer.active !== true) throw new InvalidTokenError("Token is not active");
    if (answer.iss !== undefined && answer.iss !== this.trust.issuer) throw new InvalidTokenError("Token was not issued by this server's issuer");
    const audiences = [answer.aud].flat().filter((a) => a !== undefined).map(String);
    if (!audiences.some((a) => sameResource(a, this.trust.resource))) throw new InvalidTokenError("Token was not issued for this resource");
    if (typeof answer.exp !== "number") throw new InvalidTokenError("Token has no expiration time");
    return answer as JWTPayload;
  }
}

/** Whether two resource identifiers name the same resource (a trailing slash or a fragment aside). */
export function sameResource(a: string, b: string): boolean {
  const plain = (s: string) => s.replace(/#.*$/, "").replace(/\/$/, "");
  return plain(a) === plain(b);
}

/** The user a token speaks for, as MXCP's user context has it; the token itself is not kept in it. */
function userOf(claims: JWTPayload, scopes: string[], provider: string): UserContext {
  const text = (k: string) => (typeof claims[k] === "string" ? (claims[k] as string) : null);
  return {
    provider,
    user_id: String(claims.sub),
    username: text("preferred_username") ?? text("email") ?? String(claims.sub),
    email: text("email"),
    name: text("name"),
    scopes,
    external_token: null,
  };
}
