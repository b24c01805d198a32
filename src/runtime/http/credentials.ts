// An operation's credentials from its API's secret: API keys (header, query, cookie), basic auth, bearer
// tokens, OAuth2 client credentials, and a signed-in user's refresh token (`mxcp-gen login`): an access token is
// fetched once and kept until shortly before it expires, then fetched again. On a team's server a credential can
// be each caller's own: the API's definition says `credentials: "user"`, or a secret parameter says `{from: user}`,
// and the token is the one the calling user signed in with (their user context's `external_token`).
import { caller, isFromUser, signInNeeded } from "../caller-token.js";
import { addSecretValue } from "../redact.js";
import { CallFailure } from "./call-failure.js";
import { schemeSecretKey } from "./secret-keys.js";
import { sendsBearer, type ApiDefinition, type HttpOperation, type SecuritySchemeDef } from "./types.js";

export class Credentials {
  private readonly oauthTokens = new Map<string, { token: string; expiresAt: number }>();
  private readonly tokenRequests = new Map<string, Promise<string>>();
  /** A refresh token the API replaced when it answered (rotation): used instead of the configured one from then on. */
  private rotatedRefresh: string | undefined;

  constructor(
    private readonly definition: ApiDefinition,
    private readonly secret: () => Record<string, unknown>,
    private readonly timeoutMs: () => number,
  ) {}

  /** The secret was read again: tokens obtained with the old one are not reused. */
  forgetTokens(): void {
    this.oauthTokens.clear();
    this.tokenRequests.clear();
    this.rotatedRefresh = undefined;
  }

  /** Tokens obtained at run time, redacted like configured secrets. */
  obtainedTokens(): string[] {
    return [...this.oauthTokens.values()].map((t) => t.token);
  }

  /** Apply the first alternative of the operation's security the secret has credentials for, else fail saying what is missing. */
  async apply(op: HttpOperation, url: URL, headers: Headers, cookies: string[]): Promise<void> {
    if (op.security.length === 0) return;
    const missing: string[] = [];
    for (const alternative of op.security) {
      const lacking = alternative.filter((name) => !this.hasCredentials(name));
      if (lacking.length > 0) {
        missing.push(alternative.map((n) => `${n} (${this.credentialKeys(n)})`).join(" + ") || "anonymous");
        continue;
      }
      for (const name of alternative) await this.applyScheme(name, url, headers, cookies);
      return;
    }
    throw new CallFailure({
      error: "Missing credentials",
      message: `This operation needs credentials: one of ${missing.join(" or ")}`,
      fix: `Add them to the parameters of the '${this.definition.name}' secret in your MXCP user config`,
    });
  }

  private scheme(name: string): SecuritySchemeDef | undefined {
    return this.definition.securitySchemes[name];
  }

  /** The secret keys a scheme reads, most specific first. */
  private credentialKeys(name: string): string {
    const s = this.scheme(name);
    const own = schemeSecretKey(name);
    if (!s) return own;
    if (s.type === "apiKey") return `${own} or api_key`;
    if (s.type === "http" && s.scheme.toLowerCase() === "basic") return "username and password";
    if (s.type === "oauth2" && s.clientCredentials) return "client_id and client_secret, or token";
    if (s.type === "oauth2" && s.authorizationCode) return `a refresh_token (sign in: mxcp-gen login ${this.definition.name}), or token`;
    return `${own} or token`;
  }

  private secretString(...keys: string[]): string | undefined {
    for (const k of keys) {
      const v = this.secret()[k];
      if (typeof v === "string" && v !== "") return v;
      if (isFromUser(v)) return this.userToken();
    }
    return undefined;
  }

  /** The calling user's token at this API, or a failure saying how to sign in. */
  private userToken(): string {
    const who = caller();
    if (who) return who.token;
    throw new CallFailure(signInNeeded(this.definition.name));
  }

  private hasCredentials(name: string): boolean {
    const s = this.scheme(name);
    if (!s) return false;
    if (this.definition.credentials === "user" && sendsBearer(s)) return true;
    const own = schemeSecretKey(name);
    if (s.type === "apiKey") return this.secretString(own, "api_key") !== undefined;
    if (s.type === "http" && s.scheme.toLowerCase() === "basic") return this.secretString("username") !== undefined;
    if (s.type === "oauth2" && s.clientCredentials && this.secretString("client_id") && this.secretString("client_secret")) return true;
    if (s.type === "oauth2" && this.secretString("refresh_token") && this.secretString("client_id")) return true;
    return this.secretString(own, "token", "access_token") !== undefined;
  }

  private async applyScheme(name: string, url: URL, headers: Headers, cookies: string[]): Promise<void> {
    const s = this.scheme(name)!;
    const own = schemeSecretKey(name);
    if (s.type === "apiKey") {
      const key = this.secretString(own, "api_key")!;
      if (s.in === "header") headers.set(s.name, key);
      // Appended by hand: URLSearchParams would re-encode the query already serialized as the document says.
      else if (s.in === "query") url.search = `${url.search ? `${url.search}&` : "?"}${encodeURIComponent(s.name)}=${encodeURIComponent(key)}`;
      else cookies.push(`${s.name}=${encodeURIComponent(key)}`);
      return;
    }
    if (s.type === "http" && s.scheme.toLowerCase() === "basic") {
      const user = this.secretString("username") ?? "";
      const pass = this.secretString("password") ?? "";
      headers.set("authorization", `Basic ${Buffer.from(`${user}:${pass}`).toString("base64")}`);
      return;
    }
    if (this.definition.credentials === "user" && sendsBearer(s)) {
      headers.set("authorization", `Bearer ${this.userToken()}`);
      return;
    }
    const direct = this.secretString(own, "token", "access_token");
    if (direct) {
      headers.set("authorization", `Bearer ${direct}`);
      return;
    }
    if (s.type === "oauth2") headers.set("authorization", `Bearer ${await this.accessToken(name, s)}`);
  }

  /**
   * An OAuth2 access token, from the signed-in user's refresh token when the secret has one, else by client
   * credentials: fetched once (concurrent first calls share the one request), kept until shortly before it expires.
   */
  private accessToken(name: string, s: Extract<SecuritySchemeDef, { type: "oauth2" }>): Promise<string> {
    const cached = this.oauthTokens.get(name);
    if (cached && cached.expiresAt > Date.now() + 30_000) return Promise.resolve(cached.token);
    let pending = this.tokenRequests.get(name);
    if (!pending) {
      pending = this.fetchToken(name, s).finally(() => this.tokenRequests.delete(name));
      this.tokenRequests.set(name, pending);
    }
    return pending;
  }

  private async fetchToken(name: string, s: Extract<SecuritySchemeDef, { type: "oauth2" }>): Promise<string> {
    const refresh = this.rotatedRefresh ?? this.secretString("refresh_token");
    const tokenUrl = this.secretString("token_url") ?? (refresh ? s.authorizationCode?.tokenUrl : undefined) ?? s.tokenUrl ?? s.authorizationCode?.tokenUrl;
    if (!tokenUrl) throw new CallFailure({ error: "Missing credentials", message: `No token URL for ${name}`, fix: "Set token_url in the secret" });
    const form = new URLSearchParams(refresh ? { grant_type: "refresh_token", refresh_token: refresh } : { grant_type: "client_credentials" });
    const scopes = refresh ? undefined : (this.secretString("scopes") ?? s.scopes?.join(" "));
    if (scopes) form.set("scope", scopes);
    const clientId = this.secretString("client_id")!;
    const clientSecret = this.secretString("client_secret");
    const headers: Record<string, string> = { "content-type": "application/x-www-form-urlencoded", accept: "application/json" };
    // A confidential client authenticates with its secret; a public one (no secret) names itself in the form.
    if (clientSecret) headers.authorization = `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString("base64")}`;
    else form.set("client_id", clientId);
    const res = await fetch(tokenUrl, { method: "POST", headers, body: form.toString(), redirect: "error", signal: AbortSignal.timeout(this.timeoutMs()) });
    const body = (await res.json().catch(() => ({}))) as { access_token?: string; expires_in?: number; refresh_token?: string; error?: string };
    if (!res.ok || typeof body.access_token !== "string") {
      throw new CallFailure({
        error: "Authentication failed",
        message: `Token request for ${name} failed with HTTP ${res.status}${refresh && body.error === "invalid_grant" ? ": the sign-in has expired or was revoked" : ""}`,
        status: res.status,
        ...(refresh ? { fix: `Sign in again: mxcp-gen login ${this.definition.name}` } : {}),
      });
    }
    addSecretValue(body.access_token);
    if (refresh && typeof body.refresh_token === "string" && body.refresh_token !== refresh) {
      addSecretValue(body.refresh_token);
      this.rotatedRefresh = body.refresh_token;
    }
    this.oauthTokens.set(name, { token: body.access_token, expiresAt: Date.now() + (Number(body.expires_in) || 3600) * 1000 });
    return body.access_token;
  }

}
