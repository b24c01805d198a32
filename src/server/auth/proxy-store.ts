// What the OAuth proxy remembers: the clients that registered, sign-ins in progress, authorization codes, and
// grants (one per signed-in client: the user, the provider's tokens, this server's tokens). This server's tokens
// are kept only as SHA-256 hashes, so the store (or its file) holds nothing a client could present. With a
// persistence path the grants and clients are written to that file encrypted (AES-256-GCM under a key derived from
// the team app's client secret, mode 0600), so a restart signs nobody out and the file alone gives nothing away.
import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from "node:crypto";
import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import type { OAuthClientInformationFull } from "@modelcontextprotocol/sdk/shared/auth.js";
import type { UserContext } from "../../runtime/state.js";

/** The provider's tokens for one user. */
export interface UpstreamTokens {
  accessToken: string;
  refreshToken?: string | undefined;
  /** Epoch ms; undefined when the provider gives tokens that do not expire (GitHub's OAuth apps). */
  expiresAt?: number | undefined;
  /** When to renew it: a minute before it expires, or in the last quarter of a shorter life. */
  renewAt?: number | undefined;
}

/** A sign-in in progress: from the client's authorization request to the provider's return. */
export interface PendingSignIn {
  clientId: string;
  redirectUri: string;
  state?: string | undefined;
  codeChallenge: string;
  scopes: string[];
  /** Ties the consent form and the provider's return to the browser that was shown the consent page. */
  browserSecret: string;
  /** The PKCE verifier of the provider's leg, once consented. */
  upstreamVerifier?: string | undefined;
  expiresAt: number;
}

/** An authorization code this server gave the client: what its exchange yields. */
export interface IssuedCode {
  clientId: string;
  redirectUri: string;
  codeChallenge: string;
  scopes: string[];
  user: Omit<UserContext, "external_token" | "scopes">;
  upstream: UpstreamTokens;
  expiresAt: number;
  /** Set once exchanged: a second exchange revokes what the first gave (OAuth 2.1 §4.1.3). */
  grantId?: string | undefined;
}

export interface Grant {
  id: string;
  clientId: string;
  scopes: string[];
  user: Omit<UserContext, "external_token" | "scopes">;
  upstream: UpstreamTokens;
  /** Hash of the current access token and when it expires (epoch ms). */
  accessHash: string;
  accessExpiresAt: number;
  /** Hash of the current refresh token; earlier ones, if presented again, revoke the grant (token theft). */
  refreshHash: string;
  spentRefreshHashes: string[];
  refreshExpiresAt: number;
}

const PENDING_MAX = 10_000;
const CLIENTS_MAX = 10_000;

export const tokenHash = (token: string): string => createHash("sha256").update(token).digest("base64url");

interface Snapshot {
  clients: OAuthClientInformationFull[];
  grants: Grant[];
}

export class ProxyStore {
  readonly clients = new Map<string, OAuthClientInformationFull>();
  readonly pending = new Map<string, PendingSignIn>();
  readonly codes = new Map<string, IssuedCode>();
  private readonly grants = new Map<string, Grant>();
  private readonly byAccess = new Map<string, string>();
  private readonly byRefresh = new Map<string, string>();
  private saveTimer: NodeJS.Timeout | undefined;

  constructor(private readonly file?: { path: string; key: Buffer } | undefined) {
    if (file) this.load(file.path, file.key);
  }

  /** The encryption key of a persistence file: derived from the team app's client secret. */
  static fileKey(clientSecret: string): Buffer {
    return Buffer.from(hkdfSync("sha256", clientSecret, "mxcp-gen", "oauth proxy store v1", 32));
  }

  registerClient(client: OAuthClientInformationFull): void {
    this.sweep();
    if (this.clients.size >= CLIENTS_MAX) throw new Error("too many registered clients");
    this.clients.set(client.client_id, client);
    this.changed();
  }

  addPending(id: string, p: PendingSignIn): void {
    this.sweep();
    if (this.pending.size >= PENDING_MAX) this.pending.delete(this.pending.keys().next().value!);
    this.pending.set(id, p);
  }

  /** A code's entry, whether or not used (a used one is answered by revoking what it gave). */
  code(code: string): IssuedCode | undefined {
    const c = this.codes.get(code);
    return c && c.expiresAt > Date.now() ? c : undefined;
  }

  grant(id: string): Grant | undefined {
    return this.grants.get(id);
  }

  grantByAccess(token: string): Grant | undefined {
    const id = this.byAccess.get(tokenHash(token));
    const g = id ? this.grants.get(id) : undefined;
    return g && g.accessExpiresAt > Date.now() ? g : undefined;
  }

  /** The grant a refresh token belongs to; `spent` when it is an earlier, already used one. */
  grantByRefresh(token: string): { grant: Grant; spent: boolean } | undefined {
    const h = tokenHash(token);
    const id = this.byRefresh.get(h);
    const g = id ? this.grants.get(id) : undefined;
    if (!g || g.refreshExpiresAt <= Date.now()) return undefined;
    return { grant: g, spent: g.refreshHash !== h };
  }

  saveGrant(g: Grant): void {
    this.grants.set(g.id, g);
    this.byAccess.set(g.accessHash, g.id);
    this.byRefresh.set(g.refreshHash, g.id);
    for (const h of g.spentRefreshHashes) this.byRefresh.set(h, g.id);
    this.changed();
  }

  /** A grant's tokens were replaced: the old access token stops working at once. */
  replaceAccess(g: Grant, oldAccessHash: string): void {
    this.byAccess.delete(oldAccessHash);
    this.saveGrant(g);
  }

  revokeGrant(id: string): void {
    const g = this.grants.get(id);
    if (!g) return;
    this.grants.delete(id);
    this.byAccess.delete(g.accessHash);
    this.byRefresh.delete(g.refreshHash);
    for (const h of g.spentRefreshHashes) this.byRefresh.delete(h);
    this.changed();
  }

  /** Forget what has expired. */
  sweep(now = Date.now()): void {
    for (const [k, p] of this.pending) if (p.expiresAt <= now) this.pending.delete(k);
    for (const [k, c] of this.codes) if (c.expiresAt <= now) this.codes.delete(k);
    for (const [k, g] of this.grants) if (g.refreshExpiresAt <= now) this.revokeGrant(k);
    for (const [k, c] of this.clients) if (c.client_secret_expires_at && c.client_secret_expires_at * 1000 <= now) this.clients.delete(k);
  }

  /** Write now what is waiting to be written (at shutdown). */
  flush(): void {
    if (!this.saveTimer) return;
    clearTimeout(this.saveTimer);
    this.saveTimer = undefined;
    this.save();
  }

  private changed(): void {
    if (!this.file || this.saveTimer) return;
    this.saveTimer = setTimeout(() => {
      this.saveTimer = undefined;
      this.save();
    }, 200);
    this.saveTimer.unref();
  }

  private save(): void {
    const { path, key } = this.file!;
    const snapshot: Snapshot = { clients: [...this.clients.values()].filter((c) => !/^https:/.test(c.client_id)), grants: [...this.grants.values()] };
    const iv = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", key, iv);
    const body = Buffer.concat([cipher.update(JSON.stringify(snapshot)), cipher.final()]);
    const file = JSON.stringify({ version: 1, iv: iv.toString("base64"), tag: cipher.getAuthTag().toString("base64"), data: body.toString("base64") });
    mkdirSync(dirname(path), { recursive: true });
    const tmp = `${path}.${process.pid}.tmp`;
    writeFileSync(tmp, file, { mode: 0o600 });
    chmodSync(tmp, 0o600);
    renameSync(tmp, path);
  }

  private load(path: string, key: Buffer): void {
    let raw: string;
    try {
      raw = readFileSync(path, "utf8");
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") return;
      throw e;
    }
    let snapshot: Snapshot;
    try {
      const f = JSON.parse(raw) as { iv: string; tag: string; data: string };
      const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(f.iv, "base64"));
      decipher.setAuthTag(Buffer.from(f.tag, "base64"));
      snapshot = JSON.parse(Buffer.concat([decipher.update(Buffer.from(f.data, "base64")), decipher.final()]).toString("utf8")) as Snapshot;
    } catch {
      // A changed client secret (or a damaged file): everyone signs in again, which is what rotating the secret means.
      return;
    }
    for (const c of snapshot.clients ?? []) this.clients.set(c.client_id, c);
    for (const g of snapshot.grants ?? []) this.saveGrant(g);
    this.sweep();
  }
}
