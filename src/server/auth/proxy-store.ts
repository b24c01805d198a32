// What the OAuth proxy remembers: the clients that registered, sign-ins in progress, authorization codes, and
// grants (one per signed-in client: the user, the provider's tokens, this server's tokens). This server's tokens
// are kept only as SHA-256 hashes, so the store holds nothing a client could present.
//
// In memory by default. With a persistence directory every record is a file of its own there, encrypted
// (AES-256-GCM under a key derived from the team app's client secret, mode 0600) and read again at each use: a
// restart signs nobody out, the files alone give nothing away, and replicas that share the directory share the
// sign-ins (a sign-in begun on one replica can end on another, and a token revoked on one is refused by all).
import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from "node:crypto";
import { chmodSync, closeSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
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

type Kind = "client" | "pending" | "code" | "grant" | "access" | "refresh";

/** Where records live: each has a kind, a key, a value and when it may be forgotten. */
interface Records {
  get<T>(kind: Kind, key: string): T | undefined;
  put(kind: Kind, key: string, value: unknown, expiresAt: number | undefined): void;
  delete(kind: Kind, key: string): void;
  count(kind: Kind): number;
  /** Forget the oldest record of a kind, to make room. */
  evictOldest(kind: Kind): void;
  /** Hold `name` against every other process sharing the records (in memory: there are none); resolves with the release. */
  holdAcross(name: string): Promise<() => void>;
}

/** How long a lock file may be held before it is taken as left by a process that died. */
const STALE_LOCK_MS = 30_000;

const MAX_PER_KIND = 10_000;

class MemoryRecords implements Records {
  private readonly maps = new Map<Kind, Map<string, { value: unknown; expiresAt: number | undefined }>>();

  private map(kind: Kind) {
    let m = this.maps.get(kind);
    if (!m) this.maps.set(kind, (m = new Map()));
    return m;
  }

  get<T>(kind: Kind, key: string): T | undefined {
    const r = this.map(kind).get(key);
    if (!r) return undefined;
    if (r.expiresAt !== undefined && r.expiresAt <= Date.now()) {
      this.map(kind).delete(key);
      return undefined;
    }
    return r.value as T;
  }

  put(kind: Kind, key: string, value: unknown, expiresAt: number | undefined): void {
    const m = this.map(kind);
    m.delete(key);
    m.set(key, { value, expiresAt });
    if (m.size % 256 === 0) for (const [k, r] of m) if (r.expiresAt !== undefined && r.expiresAt <= Date.now()) m.delete(k);
  }

  delete(kind: Kind, key: string): void {
    this.map(kind).delete(key);
  }

  count(kind: Kind): number {
    return this.map(kind).size;
  }

  evictOldest(kind: Kind): void {
    const first = this.map(kind).keys().next().value;
    if (first !== undefined) this.map(kind).delete(first);
  }

  async holdAcross(): Promise<() => void> {
    return () => undefined;
  }
}

/** One encrypted file per record under a directory, named by the hash of its key. */
class FileRecords implements Records {
  private lastSweep = 0;

  constructor(
    private readonly dir: string,
    private readonly key: Buffer,
  ) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  }

  private path(kind: Kind, key: string): string {
    return join(this.dir, kind, `${createHash("sha256").update(key).digest("hex")}.json`);
  }

  get<T>(kind: Kind, key: string): T | undefined {
    const path = this.path(kind, key);
    const record = this.read(path, kind);
    return record?.value as T | undefined;
  }

  put(kind: Kind, key: string, value: unknown, expiresAt: number | undefined): void {
    const iv = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", this.key, iv);
    // The kind and the expiry are bound to the ciphertext: a file moved to another kind, or given another expiry, is refused.
    cipher.setAAD(Buffer.from(`${kind}\n${expiresAt ?? ""}`));
    const data = Buffer.concat([cipher.update(JSON.stringify(value)), cipher.final()]);
    const path = this.path(kind, key);
    mkdirSync(join(this.dir, kind), { recursive: true, mode: 0o700 });
    const tmp = `${path}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
    writeFileSync(tmp, JSON.stringify({ v: 1, exp: expiresAt ?? null, iv: iv.toString("base64"), tag: cipher.getAuthTag().toString("base64"), data: data.toString("base64") }), { mode: 0o600 });
    chmodSync(tmp, 0o600);
    renameSync(tmp, path);
    this.sweep();
  }

  delete(kind: Kind, key: string): void {
    unlinkQuietly(this.path(kind, key));
  }

  count(kind: Kind): number {
    try {
      return readdirSync(join(this.dir, kind)).length;
    } catch {
      return 0;
    }
  }

  evictOldest(kind: Kind): void {
    let oldest: { path: string; at: number } | undefined;
    for (const name of this.names(kind)) {
      const path = join(this.dir, kind, name);
      const at = statSync(path, { throwIfNoEntry: false })?.mtimeMs;
      if (at !== undefined && (!oldest || at < oldest.at)) oldest = { path, at };
    }
    if (oldest) unlinkQuietly(oldest.path);
  }

  /** A lock file made with O_EXCL; one left behind by a process that died is taken over once it is stale. */
  async holdAcross(name: string): Promise<() => void> {
    const path = join(this.dir, "locks", `${createHash("sha256").update(name).digest("hex")}.lock`);
    mkdirSync(join(this.dir, "locks"), { recursive: true, mode: 0o700 });
    for (;;) {
      try {
        closeSync(openSync(path, "wx", 0o600));
        return () => unlinkQuietly(path);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
        const at = statSync(path, { throwIfNoEntry: false })?.mtimeMs;
        if (at !== undefined && Date.now() - at > STALE_LOCK_MS) unlinkQuietly(path);
        else await new Promise((r) => setTimeout(r, 25));
      }
    }
  }

  private names(kind: Kind): string[] {
    try {
      return readdirSync(join(this.dir, kind)).filter((n) => n.endsWith(".json"));
    } catch {
      return [];
    }
  }

  private read(path: string, kind: Kind): { value: unknown } | undefined {
    let text: string;
    try {
      text = readFileSync(path, "utf8");
    } catch {
      return undefined;
    }
    try {
      const f = JSON.parse(text) as { exp: number | null; iv: string; tag: string; data: string };
      if (f.exp !== null && f.exp <= Date.now()) {
        unlinkQuietly(path);
        return undefined;
      }
      const decipher = createDecipheriv("aes-256-gcm", this.key, Buffer.from(f.iv, "base64"));
      decipher.setAAD(Buffer.from(`${kind}\n${f.exp ?? ""}`));
      decipher.setAuthTag(Buffer.from(f.tag, "base64"));
      return { value: JSON.parse(Buffer.concat([decipher.update(Buffer.from(f.data, "base64")), decipher.final()]).toString("utf8")) };
    } catch {
      // Written under another client secret (it was rotated), or damaged: as if it were not there.
      return undefined;
    }
  }

  /** At most once a minute, forget what has expired (by the clear expiry, no decryption needed). */
  private sweep(): void {
    if (Date.now() - this.lastSweep < 60_000) return;
    this.lastSweep = Date.now();
    for (const kind of ["pending", "code", "grant", "access", "refresh", "client"] as const) {
      for (const name of this.names(kind)) {
        const path = join(this.dir, kind, name);
        try {
          const exp = (JSON.parse(readFileSync(path, "utf8")) as { exp: number | null }).exp;
          if (exp !== null && exp <= Date.now()) unlinkQuietly(path);
        } catch {
          // Being written by another replica, or gone: the next sweep sees it.
        }
      }
    }
  }
}

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Already gone (another replica swept it).
  }
}

export const tokenHash = (token: string): string => createHash("sha256").update(token).digest("base64url");

export class ProxyStore {
  private readonly records: Records;
  /** Steps waiting for a name, in this process: each runs after the one before it. */
  private readonly queues = new Map<string, Promise<unknown>>();

  /** @param directory where records are kept, encrypted under `key`; in memory without one. */
  constructor(persistence?: { directory: string; key: Buffer } | undefined) {
    this.records = persistence ? new FileRecords(persistence.directory, persistence.key) : new MemoryRecords();
  }

  /** The encryption key of a persistence directory: derived from the team app's client secret. */
  static fileKey(clientSecret: string): Buffer {
    return Buffer.from(hkdfSync("sha256", clientSecret, "mxcp-gen", "oauth proxy store v1", 32));
  }

  client(id: string): OAuthClientInformationFull | undefined {
    return this.records.get("client", id);
  }

  registerClient(client: OAuthClientInformationFull): void {
    // Registration is open to anyone (rate-limited): past the cap the oldest registration goes, rather than every new one.
    if (this.records.count("client") >= MAX_PER_KIND) this.records.evictOldest("client");
    this.records.put("client", client.client_id, client, client.client_secret_expires_at ? client.client_secret_expires_at * 1000 : undefined);
  }

  pending(id: string): PendingSignIn | undefined {
    return this.records.get("pending", id);
  }

  savePending(id: string, p: PendingSignIn): void {
    if (this.records.count("pending") >= MAX_PER_KIND) this.records.evictOldest("pending");
    this.records.put("pending", id, p, p.expiresAt);
  }

  deletePending(id: string): void {
    this.records.delete("pending", id);
  }

  /** A code's entry, whether or not used (a used one is answered by revoking what it gave). */
  code(code: string): IssuedCode | undefined {
    return this.records.get("code", code);
  }

  saveCode(code: string, c: IssuedCode): void {
    this.records.put("code", code, c, c.expiresAt);
  }

  deleteCode(code: string): void {
    this.records.delete("code", code);
  }

  /** A grant as it is now (another replica may have changed it). */
  grant(id: string): Grant | undefined {
    return this.records.get("grant", id);
  }

  /**
   * Run `step` alone: after any other step on `name` in this process, and while no other process sharing the
   * records runs one (a replica renewing the same provider token).
   */
  exclusively<T>(name: string, step: () => Promise<T>): Promise<T> {
    const before = this.queues.get(name) ?? Promise.resolve();
    const run = before.then(async () => {
      const release = await this.records.holdAcross(name);
      try {
        return await step();
      } finally {
        release();
      }
    });
    const settled = run.catch(() => undefined);
    this.queues.set(name, settled);
    void settled.then(() => {
      if (this.queues.get(name) === settled) this.queues.delete(name);
    });
    return run;
  }

  grantByAccess(token: string): Grant | undefined {
    const id = this.records.get<string>("access", tokenHash(token));
    const g = id ? this.records.get<Grant>("grant", id) : undefined;
    return g && g.accessHash === tokenHash(token) && g.accessExpiresAt > Date.now() ? g : undefined;
  }

  /** The grant a refresh token belongs to; `spent` when it is an earlier, already used one. */
  grantByRefresh(token: string): { grant: Grant; spent: boolean } | undefined {
    const h = tokenHash(token);
    const id = this.records.get<string>("refresh", h);
    const g = id ? this.records.get<Grant>("grant", id) : undefined;
    if (!g || g.refreshExpiresAt <= Date.now()) return undefined;
    return { grant: g, spent: g.refreshHash !== h };
  }

  saveGrant(g: Grant): void {
    this.records.put("grant", g.id, g, g.refreshExpiresAt);
    this.records.put("access", g.accessHash, g.id, g.accessExpiresAt);
    this.records.put("refresh", g.refreshHash, g.id, g.refreshExpiresAt);
    for (const h of g.spentRefreshHashes) this.records.put("refresh", h, g.id, g.refreshExpiresAt);
  }

  /** A grant's tokens were replaced: the old access token stops working at once. */
  replaceAccess(g: Grant, oldAccessHash: string): void {
    this.records.delete("access", oldAccessHash);
    this.saveGrant(g);
  }

  revokeGrant(g: Grant): void {
    this.records.delete("grant", g.id);
    this.records.delete("access", g.accessHash);
    this.records.delete("refresh", g.refreshHash);
    for (const h of g.spentRefreshHashes) this.records.delete("refresh", h);
  }

  revokeGrantById(id: string): void {
    const g = this.records.get<Grant>("grant", id);
    if (g) this.revokeGrant(g);
  }
}
