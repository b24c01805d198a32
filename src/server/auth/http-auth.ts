// The MCP SDK's own resource-server pieces on our node:http server: its metadata router answers the Protected
// Resource Metadata (RFC 9728) and the issuer's metadata, and its bearer middleware checks every /mcp request
// (401 with `WWW-Authenticate: Bearer … resource_metadata=…`, 403 `insufficient_scope` naming the scopes). They are
// Express handlers, so they run in a small Express app that answers only what is theirs and hands the rest back.
import type { IncomingMessage, ServerResponse } from "node:http";
import express from "express";
import { authorizationHandler } from "@modelcontextprotocol/sdk/server/auth/handlers/authorize.js";
import { clientRegistrationHandler } from "@modelcontextprotocol/sdk/server/auth/handlers/register.js";
import { revocationHandler } from "@modelcontextprotocol/sdk/server/auth/handlers/revoke.js";
import { tokenHandler } from "@modelcontextprotocol/sdk/server/auth/handlers/token.js";
import { requireBearerAuth } from "@modelcontextprotocol/sdk/server/auth/middleware/bearerAuth.js";
import type { OAuthTokenVerifier } from "@modelcontextprotocol/sdk/server/auth/provider.js";
import { getOAuthProtectedResourceMetadataUrl, mcpAuthMetadataRouter } from "@modelcontextprotocol/sdk/server/auth/router.js";
import type { AuthInfo } from "@modelcontextprotocol/sdk/server/auth/types.js";
import type { OAuthMetadata } from "@modelcontextprotocol/sdk/shared/auth.js";
import { PAGE_HEADERS, problemPage } from "./consent-page.js";
import type { OAuthProxy } from "./oauth-proxy.js";

/** Most accepted tokens remembered at once; past it the oldest is forgotten (and checked again when it comes back). */
const MAX_REMEMBERED = 10_000;

export interface HttpAuth {
  verifier: OAuthTokenVerifier;
  /** The issuer's metadata, as the SDK's router serves it. */
  metadata: OAuthMetadata;
  /** This server's MCP endpoint as clients reach it: the resource tokens must be issued for. */
  resource: string;
  requiredScopes: string[];
  resourceName: string;
  /** When this server is the authorization server too (an OAuth proxy in front of the provider). */
  proxy?: OAuthProxy | undefined;
  /** One line for the operator at start: who signs users in, and what to register where. */
  summary: string;
}

/** The authorization server's own paths, where a proxy answers them (the metadata says the same). */
export const PROXY_PATHS = { authorize: "/authorize", token: "/token", register: "/register", revoke: "/revoke" } as const;

export class HttpAuthGate {
  private readonly app: express.Express;
  private readonly waiting = new WeakMap<IncomingMessage, (auth: AuthInfo) => void>();
  /** Signed tokens accepted lately, by Authorization header. */
  private readonly accepted = new Map<string, { auth: AuthInfo; until: number }>();
  readonly metadataUrl: string;
  readonly summary: string;
  private readonly ownPaths: Set<string>;

  constructor(auth: HttpAuth) {
    const resource = new URL(auth.resource);
    this.metadataUrl = getOAuthProtectedResourceMetadataUrl(resource);
    this.summary = auth.summary;
    const bearer = requireBearerAuth({ verifier: auth.verifier, requiredScopes: auth.requiredScopes, resourceMetadataUrl: this.metadataUrl, expectedResource: resource });
    const app = express();
    app.disable("x-powered-by");
    this.ownPaths = new Set();
    if (auth.proxy) {
      const proxy = auth.proxy;
      // Rate limits per address, higher than the SDK's defaults: behind a proxy a whole team shares one address.
      app.use(PROXY_PATHS.authorize, authorizationHandler({ provider: proxy, rateLimit: { max: 600 } }));
      app.use(PROXY_PATHS.token, tokenHandler({ provider: proxy, rateLimit: { max: 600 } }));
      app.use(PROXY_PATHS.register, clientRegistrationHandler({ clientsStore: proxy.clientsStore, rateLimit: { max: 200 } }));
      app.use(PROXY_PATHS.revoke, revocationHandler({ provider: proxy, rateLimit: { max: 600 } }));
      // A page that fails unexpectedly says so plainly: Express's own error page would show a stack trace.
      const page = (step: (req: express.Request, res: express.Response) => Promise<void>) => (req: express.Request, res: express.Response) =>
        step(req, res).catch(() => {
          if (!res.headersSent) res.status(500).set(PAGE_HEADERS).send(problemPage("The sign-in could not go on", "Something failed on the server. Start the sign-in again from your application."));
        });
      app.post(proxy.consentPath, express.urlencoded({ extended: false, limit: "8kb" }), page((req, res) => proxy.consent(req, res)));
      app.get(proxy.callbackPath, page((req, res) => proxy.callback(req, res)));
      for (const path of [...Object.values(PROXY_PATHS), proxy.consentPath, proxy.callbackPath]) this.ownPaths.add(path);
    }
    app.use(mcpAuthMetadataRouter({ oauthMetadata: auth.metadata, resourceServerUrl: resource, resourceName: auth.resourceName, ...(auth.requiredScopes.length > 0 ? { scopesSupported: auth.requiredScopes } : {}) }));
    // Only a request handed to authenticate() is checked here; the bearer middleware answers 401/403 itself.
    app.use((req, res, next) => (this.waiting.has(req) ? bearer(req, res, next) : next()));
    app.use((req, _res, next) => {
      const done = this.waiting.get(req);
      const info = (req as { auth?: AuthInfo }).auth;
      if (done && info) done(info);
      else next();
    });
    this.app = app;
  }

  /** Whether a path is the gate's to answer: the metadata, and a proxy's authorization server and sign-in pages. */
  answers(pathname: string): boolean {
    return pathname.startsWith("/.well-known/oauth-") || this.ownPaths.has(pathname);
  }

  /** Answer one of the paths `answers` claims. */
  answer(req: IncomingMessage, res: ServerResponse): void {
    this.app(req as express.Request, res as express.Response, () => {
      if (!res.headersSent) res.writeHead(404, { "content-type": "text/plain; charset=utf-8" }).end("Not found\n");
    });
  }

  /** The request's checked token, or undefined when the gate has already answered it (401, 403). */
  async authenticate(req: IncomingMessage, res: ServerResponse): Promise<AuthInfo | undefined> {
    const header = req.headers.authorization;
    const known = header ? this.accepted.get(header) : undefined;
    if (known && known.until > Date.now()) return known.auth;
    const auth = await new Promise<AuthInfo | undefined>((resolve) => {
      this.waiting.set(req, resolve);
      res.once("finish", () => resolve(undefined));
      this.app(req as express.Request, res as express.Response, () => resolve(undefined));
    });
    if (auth && header) this.remember(header, auth);
    return auth;
  }

  /**
   * A signed token the checks accepted is accepted again without them for up to a minute, never past its expiry. An
   * opaque token is asked about every time: the issuer may have revoked it.
   */
  private remember(header: string, auth: AuthInfo): void {
    if (auth.token.split(".").length !== 3 || auth.expiresAt === undefined) return;
    if (this.accepted.size >= MAX_REMEMBERED) this.accepted.delete(this.accepted.keys().next().value!);
    this.accepted.set(header, { auth, until: Math.min(Date.now() + 60_000, auth.expiresAt * 1000) });
  }
}
