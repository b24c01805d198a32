// The HTTP server as its own authorization server in front of a provider that MCP clients cannot register with
// (GitHub, Google, Atlassian, Salesforce, an enterprise IdP): clients register here (a client ID metadata document,
// or dynamic registration), the user consents to each client here, signs in at the provider through the team's
// registered app (authorization code with PKCE), and the client gets this server's own short-lived tokens with
// refresh. The provider's tokens never leave the server: a handler sees them as the user's `external_token`.
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { Request, Response } from "express";
import { InvalidClientMetadataError, InvalidGrantError, InvalidTargetError, InvalidTokenError, ServerError } from "@modelcontextprotocol/sdk/server/auth/errors.js";
import type { OAuthRegisteredClientsStore } from "@modelcontextprotocol/sdk/server/auth/clients.js";
import type { AuthorizationParams, OAuthServerProvider } from "@modelcontextprotocol/sdk/server/auth/provider.js";
import type { AuthInfo } from "@modelcontextprotocol/sdk/server/auth/types.js";
import type { OAuthClientInformationFull, OAuthTokenRevocationRequest, OAuthTokens } from "@modelcontextprotocol/sdk/shared/auth.js";
import type { UserContext } from "../../runtime/state.js";
import type { ProxySettings } from "./auth-settings.js";
import { ClientMetadataDocuments, isClientMetadataUrl } from "./client-metadata.js";
import { consentPage, PAGE_HEADERS, problemPage } from "./consent-page.js";
import { tokenHash, type Grant, type ProxyStore, type UpstreamTokens } from "./proxy-store.js";
import { sameResource } from "./token-verifier.js";

const SIGN_IN_MS = 10 * 60_000;
const CODE_MS = 5 * 60_000;
const REFRESH_MS = 30 * 24 * 3600_000;
/** A provider's token this close to its expiry is renewed before a call uses it. */
const UPSTREAM_MARGIN_MS = 60_000;

export interface ProxyEndpoints {
  authUrl: string;
  tokenUrl: string;
  userUrl: string;
}

export interface OAuthProxyOptions {
  settings: ProxySettings;
  endpoints: ProxyEndpoints;
  /** This server's MCP endpoint as clients reach it: the only resource its tokens are for. */
  resource: string;
  /** Its public base (the resource without /mcp): where the consent form and the provider's return are. */
  base: string;
  /** This server's issuer identifier, as its metadata says (RFC 9207: the client checks it on the way back). */
  issuer: string;
  serverName: string;
  store: ProxyStore;
  /** Client metadata documents on loopback or private addresses too (this server is itself on loopback). */
  allowInternalClientDocuments: boolean;
}

/** Schemes whose URL the browser itself runs or shows: a code sent there is anyone's. */
const BROWSER_SCHEMES = new Set(["javascript:", "data:", "blob:", "file:", "about:", "vbscript:", "filesystem:"]);

/** Whether a provider token can be used as it is: it never expires, or is not yet due for renewal. */
const fresh = (u: UpstreamTokens) => u.expiresAt === undefined || (u.renewAt ?? u.expiresAt - UPSTREAM_MARGIN_MS) > Date.now();

const random = () => randomBytes(32).toString("base64url");
const s256 = (verifier: string) => createHash("sha256").update(verifier).digest("base64url");
const sameText = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

export class OAuthProxy implements OAuthServerProvider {
  readonly clientsStore: OAuthRegisteredClientsStore;
  private readonly documents: ClientMetadataDocuments;

  constructor(private readonly o: OAuthProxyOptions) {
    this.documents = new ClientMetadataDocuments(o.allowInternalClientDocuments);
    const store = o.store;
    this.clientsStore = {
      getClient: async (clientId) => (isClientMetadataUrl(clientId) ? this.documents.client(clientId) : store.client(clientId)),
      registerClient: (client) => {
        // A code may go to https, to plain http on loopback only (a native client's local listener), or to a native
        // app's own scheme (cursor://…, RFC 8252): never over plain http across a network, nor to a URL that runs or
        // holds content in the browser itself.
        for (const uri of client.redirect_uris) {
          const u = new URL(uri);
          const loopback = ["localhost", "127.0.0.1", "[::1]"].includes(u.hostname);
          if (BROWSER_SCHEMES.has(u.protocol) || (u.protocol === "http:" && !loopback)) throw new InvalidClientMetadataError(`redirect_uri ${uri} must be https, a loopback address or an app's own scheme`);
        }
        const full = client as OAuthClientInformationFull;
        store.registerClient(full);
        return full;
      },
    };
  }

  /** Paths this server answers in the browser's part of a sign-in. */
  get consentPath(): string {
    return "/auth/consent";
  }

  get callbackPath(): string {
    return this.o.settings.callbackPath;
  }

  /** The client asks to sign a user in: show the consent page (the SDK has checked the client and its redirect). */
  async authorize(client: OAuthClientInformationFull, params: AuthorizationParams, res: Response): Promise<void> {
    this.checkResource(params.resource);
    const transaction = random();
    const browserSecret = random();
    // This server's tokens carry the scopes its calls need, whatever else the client asked for.
    const scopes = this.o.settings.requiredScopes;
    this.o.store.savePending(transaction, {
      clientId: client.client_id,
      redirectUri: params.redirectUri,
      state: params.state,
      codeChallenge: params.codeChallenge,
      scopes,
      browserSecret,
      expiresAt: Date.now() + SIGN_IN_MS,
    });
    res.setHeader("set-cookie", this.cookie(transaction, browserSecret, SIGN_IN_MS / 1000));
    res
      .status(200)
      .set(PAGE_HEADERS)
      .send(
        consentPage({
          clientName: client.client_name,
          clientId: client.client_id,
          verifiedId: isClientMetadataUrl(client.client_id),
          redirectUri: params.redirectUri,
          serverName: this.o.serverName,
          providerTitle: this.o.settings.defaults.title,
          scopes,
          action: `${this.o.base}${this.consentPath}`,
          transaction,
          formSecret: browserSecret,
        }),
      );
  }

  /** The consent form: on Allow, on to the provider; on Deny, back to the client with access_denied. */
  async consent(req: Request, res: Response): Promise<void> {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const transaction = typeof body.transaction === "string" ? body.transaction : "";
    const pending = this.o.store.pending(transaction);
    if (!pending) return this.problem(res, 400, "This sign-in has expired", "Start it again from your application.");
    // The form and the cookie must both carry the secret the page was shown with: a page on another site cannot
    // post this form for the user (it has neither), and a link someone else started carries not this browser's cookie.
    const formSecret = typeof body.form_secret === "string" ? body.form_secret : "";
    if (!sameText(formSecret, pending.browserSecret) || !sameText(this.cookieValue(req, transaction) ?? "", pending.browserSecret)) {
      return this.problem(res, 403, "This sign-in was not started in this browser", "Start it again from your application, in the browser you use to sign in.");
    }
    if (body.decision !== "allow") {
      this.o.store.deletePending(transaction);
      return this.backToClient(res, pending.redirectUri, { error: "access_denied", error_description: "The user did not allow access", ...(pending.state !== undefined ? { state: pending.state } : {}) });
    }
    pending.upstreamVerifier = random();
    this.o.store.savePending(transaction, pending);
    const to = new URL(this.o.endpoints.authUrl);
    const query: Record<string, string> = {
      response_type: "code",
      client_id: this.o.settings.clientId,
      redirect_uri: this.upstreamRedirect(),
      scope: this.o.settings.scope,
      state: transaction,
      code_challenge: s256(pending.upstreamVerifier),
      code_challenge_method: "S256",
      ...this.o.settings.defaults.authorizeParams,
    };
    for (const [k, v] of Object.entries(query)) to.searchParams.set(k, v);
    res.redirect(302, to.href);
  }

  /** The provider sends the browser back: exchange its code, learn who signed in, give the client a code of ours. */
  async callback(req: Request, res: Response): Promise<void> {
    const q = req.query as Record<string, unknown>;
    const transaction = typeof q.state === "string" ? q.state : "";
    const pending = this.o.store.pending(transaction);
    if (!pending?.upstreamVerifier) return this.problem(res, 400, "This sign-in has expired", "Start it again from your application.");
    if (!sameText(this.cookieValue(req, transaction) ?? "", pending.browserSecret)) {
      return this.problem(res, 403, "This sign-in was not started in this browser", "Start it again from your application, in the browser you use to sign in.");
    }
    this.o.store.deletePending(transaction);
    res.setHeader("set-cookie", this.cookie(transaction, "", 0));
    const back = (params: Record<string, string>) => this.backToClient(res, pending.redirectUri, { ...params, ...(pending.state !== undefined ? { state: pending.state } : {}) });
    if (typeof q.error === "string") return back({ error: "access_denied", error_description: `${this.o.settings.defaults.title} did not sign the user in (${q.error.slice(0, 100)})` });
    if (typeof q.code !== "string") return back({ error: "server_error", error_description: `${this.o.settings.defaults.title} sent no code` });
    let upstream: UpstreamTokens;
    let user: Omit<UserContext, "external_token" | "scopes">;
    try {
      upstream = await this.upstreamToken({ grant_type: "authorization_code", code: q.code, redirect_uri: this.upstreamRedirect(), code_verifier: pending.upstreamVerifier });
      user = await this.upstreamUser(upstream.accessToken);
    } catch (e) {
      return back({ error: "server_error", error_description: (e as Error).message.slice(0, 300) });
    }
    const code = random();
    this.o.store.saveCode(code, { clientId: pending.clientId, redirectUri: pending.redirectUri, codeChallenge: pending.codeChallenge, scopes: pending.scopes, user, upstream, expiresAt: Date.now() + CODE_MS });
    back({ code, iss: this.o.issuer });
  }

  async challengeForAuthorizationCode(client: OAuthClientInformationFull, authorizationCode: string): Promise<string> {
    const c = this.o.store.code(authorizationCode);
    if (!c || c.clientId !== client.client_id) throw new InvalidGrantError("Invalid authorization code");
    return c.codeChallenge;
  }

  async exchangeAuthorizationCode(client: OAuthClientInformationFull, authorizationCode: string, _verifier?: string, redirectUri?: string, resource?: URL): Promise<OAuthTokens> {
    const c = this.o.store.code(authorizationCode);
    if (!c || c.clientId !== client.client_id) throw new InvalidGrantError("Invalid authorization code");
    if (c.grantId) {
      // A code presented twice was stolen or replayed: what the first exchange gave stops working too.
      this.o.store.revokeGrantById(c.grantId);
      this.o.store.deleteCode(authorizationCode);
      throw new InvalidGrantError("Authorization code already used");
    }
    if (redirectUri !== undefined && redirectUri !== c.redirectUri) throw new InvalidGrantError("redirect_uri differs from the authorization request's");
    this.checkResource(resource);
    const { grant, tokens } = this.newTokens({ id: random(), clientId: client.client_id, scopes: c.scopes, user: c.user, upstream: c.upstream, spentRefreshHashes: [] });
    c.grantId = grant.id;
    this.o.store.saveCode(authorizationCode, c);
    this.o.store.saveGrant(grant);
    return tokens;
  }

  async exchangeRefreshToken(client: OAuthClientInformationFull, refreshToken: string, scopes?: string[], resource?: URL): Promise<OAuthTokens> {
    const found = this.o.store.grantByRefresh(refreshToken);
    if (!found || found.grant.clientId !== client.client_id) throw new InvalidGrantError("Invalid refresh token");
    if (found.spent) {
      // An old refresh token again: someone holds a copy. The whole grant goes (OAuth 2.1 §4.3.1).
      this.o.store.revokeGrant(found.grant);
      throw new InvalidGrantError("Refresh token already used");
    }
    this.checkResource(resource);
    const g = found.grant;
    const narrowed = scopes?.length ? scopes.filter((s) => g.scopes.includes(s)) : g.scopes;
    const oldAccess = g.accessHash;
    const { grant, tokens } = this.newTokens({ ...g, scopes: narrowed, spentRefreshHashes: [...g.spentRefreshHashes, g.refreshHash].slice(-20) });
    this.o.store.replaceAccess(grant, oldAccess);
    return tokens;
  }

  async verifyAccessToken(token: string): Promise<AuthInfo> {
    const grant = this.o.store.grantByAccess(token);
    if (!grant) throw new InvalidTokenError("Token is not valid or has expired");
    const upstream = await this.liveUpstream(grant);
    return {
      token,
      clientId: grant.clientId,
      scopes: grant.scopes,
      expiresAt: Math.floor(grant.accessExpiresAt / 1000),
      resource: new URL(this.o.resource),
      extra: { user: { ...grant.user, scopes: grant.scopes, external_token: upstream.accessToken } satisfies UserContext },
    };
  }

  async revokeToken(client: OAuthClientInformationFull, request: OAuthTokenRevocationRequest): Promise<void> {
    const grant = this.o.store.grantByAccess(request.token) ?? this.o.store.grantByRefresh(request.token)?.grant;
    if (grant && grant.clientId === client.client_id) this.o.store.revokeGrant(grant);
  }

  private checkResource(resource: URL | undefined): void {
    if (resource && !sameResource(resource.href, this.o.resource)) throw new InvalidTargetError(`This server issues tokens only for ${this.o.resource}`);
  }

  /** A grant's next access and refresh tokens; our access token lives no longer than a provider token it cannot renew. */
  private newTokens(g: Omit<Grant, "accessHash" | "accessExpiresAt" | "refreshHash" | "refreshExpiresAt">): { grant: Grant; tokens: OAuthTokens } {
    const access = `mxcp_at_${random()}`;
    const refresh = `mxcp_rt_${random()}`;
    let lifetime = this.o.settings.accessTokenSeconds * 1000;
    if (g.upstream.expiresAt !== undefined && !g.upstream.refreshToken) lifetime = Math.max(0, Math.min(lifetime, g.upstream.expiresAt - Date.now()));
    const grant: Grant = { ...g, accessHash: tokenHash(access), accessExpiresAt: Date.now() + lifetime, refreshHash: tokenHash(refresh), refreshExpiresAt: Date.now() + REFRESH_MS };
    const tokens: OAuthTokens = { access_token: access, token_type: "Bearer", expires_in: Math.floor(lifetime / 1000), refresh_token: refresh, ...(g.scopes.length ? { scope: g.scopes.join(" ") } : {}) };
    return { grant, tokens };
  }

  /** The provider's token for a grant, renewed first when it is about to expire; a failed renewal signs the user out. */
  private async liveUpstream(grant: Grant): Promise<UpstreamTokens> {
    if (fresh(grant.upstream)) return grant.upstream;
    // One renewal at a time for a grant, across calls and replicas: a provider that rotates refresh tokens refuses
    // the second use of one, and would sign the user out.
    return this.o.store.exclusively(`renew ${grant.id}`, async () => {
      const current = this.o.store.grant(grant.id);
      if (!current) throw new InvalidTokenError(`The sign-in at ${this.o.settings.defaults.title} has ended: sign in again`);
      // Renewed meanwhile (by another call, or another replica).
      if (fresh(current.upstream)) return current.upstream;
      const u = current.upstream;
      if (!u.refreshToken) {
        this.o.store.revokeGrant(current);
        throw new InvalidTokenError(`The sign-in at ${this.o.settings.defaults.title} has expired: sign in again`);
      }
      let renewed: UpstreamTokens;
      try {
        renewed = await this.upstreamToken({ grant_type: "refresh_token", refresh_token: u.refreshToken });
      } catch {
        this.o.store.revokeGrant(current);
        throw new InvalidTokenError(`The sign-in at ${this.o.settings.defaults.title} has expired or was revoked: sign in again`);
      }
      current.upstream = { ...renewed, refreshToken: renewed.refreshToken ?? u.refreshToken };
      this.o.store.saveGrant(current);
      return current.upstream;
    });
  }

  /** A token request at the provider, as the team's app (client_secret_post: GitHub accepts nothing else). */
  private async upstreamToken(form: Record<string, string>): Promise<UpstreamTokens> {
    const body = new URLSearchParams({ ...form, client_id: this.o.settings.clientId, client_secret: this.o.settings.clientSecret });
    let answer: Record<string, unknown>;
    let status: number;
    try {
      const response = await fetch(this.o.endpoints.tokenUrl, {
        method: "POST",
        redirect: "error",
        signal: AbortSignal.timeout(15_000),
        headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
        body,
      });
      status = response.status;
      answer = (await response.json().catch(() => ({}))) as Record<string, unknown>;
    } catch (e) {
      throw new ServerError(`${this.o.settings.defaults.title} could not be reached for a token: ${(e as Error).message}`);
    }
    // GitHub answers an error with 200 and an `error` field.
    if (typeof answer.access_token !== "string" || answer.error !== undefined) {
      throw new ServerError(`${this.o.settings.defaults.title} refused the token request (HTTP ${status}${typeof answer.error === "string" ? `, ${answer.error.slice(0, 60)}` : ""})`);
    }
    const lifetime = Number(answer.expires_in) * 1000;
    const expires = Number.isFinite(lifetime) && lifetime > 0;
    return {
      accessToken: answer.access_token,
      refreshToken: typeof answer.refresh_token === "string" ? answer.refresh_token : undefined,
      ...(expires ? { expiresAt: Date.now() + lifetime, renewAt: Date.now() + lifetime - Math.min(UPSTREAM_MARGIN_MS, lifetime / 4) } : {}),
    };
  }

  private async upstreamUser(accessToken: string): Promise<Omit<UserContext, "external_token" | "scopes">> {
    let record: Record<string, unknown>;
    try {
      const response = await fetch(this.o.endpoints.userUrl, {
        redirect: "error",
        signal: AbortSignal.timeout(15_000),
        headers: { authorization: `Bearer ${accessToken}`, accept: "application/json", "user-agent": "mxcp-gen" },
      });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      record = (await response.json()) as Record<string, unknown>;
    } catch (e) {
      throw new ServerError(`${this.o.settings.defaults.title} did not say who signed in (${(e as Error).message})`);
    }
    return this.o.settings.defaults.user(record, this.o.settings.provider);
  }

  private upstreamRedirect(): string {
    return `${this.o.base}${this.o.settings.callbackPath}`;
  }

  private backToClient(res: Response, redirectUri: string, params: Record<string, string>): void {
    const to = new URL(redirectUri);
    for (const [k, v] of Object.entries(params)) to.searchParams.set(k, v);
    res.redirect(302, to.href);
  }

  private problem(res: Response, status: number, title: string, message: string): void {
    res.status(status).set(PAGE_HEADERS).send(problemPage(title, message));
  }

  /** One cookie per sign-in in progress, so two at once in one browser do not undo each other. */
  private cookieName(transaction: string): string {
    return `mxcp_gen_signin_${createHash("sha256").update(transaction).digest("hex").slice(0, 16)}`;
  }

  private cookie(transaction: string, value: string, maxAge: number): string {
    const secure = this.o.base.startsWith("https:") ? "; Secure" : "";
    return `${this.cookieName(transaction)}=${value}; Max-Age=${maxAge}; Path=/; HttpOnly; SameSite=Lax${secure}`;
  }

  private cookieValue(req: Request, transaction: string): string | undefined {
    const name = this.cookieName(transaction);
    for (const part of (req.headers.cookie ?? "").split(";")) {
      const at = part.indexOf("=");
      if (at > 0 && part.slice(0, at).trim() === name) return part.slice(at + 1).trim();
    }
    return undefined;
  }
}
