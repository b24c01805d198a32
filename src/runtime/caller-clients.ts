// A wrapped SDK whose credential is each caller's own (`{from: user}` in its secret): one client per signed-in
// user, made on first use with their token, as MXCP's hand-written OAuth wrappers keep them. A client is dropped
// when its user's token changes (the server renewed it), when the API refuses it (401/403: the next call makes a
// new one), after half an hour unused, and the least recently used beyond 500 users.
import { createHash } from "node:crypto";
import type { ErrorObject } from "./errors.js";
import { caller, signInNeeded, withCallerToken } from "./caller-token.js";
import { runtimeState } from "./state.js";

const MAX_CLIENTS = 500;
const IDLE_MS = 30 * 60_000;

/** A client made from a secret's values, or why none could be. */
export type Made<C> = { client: C; failure?: undefined } | { client?: undefined; failure: ErrorObject };

interface Entry<C> {
  client: C;
  tokenHash: string;
  lastUsed: number;
}

/** Every live cache, so an SDK error that says "unauthorized" drops the caller's client in each. */
const caches = new Set<CallerClients<unknown>>();

export class CallerClients<C> {
  private readonly clients = new Map<string, Entry<C>>();
  /** Clients being made, so one user's concurrent first calls share one. */
  private readonly making = new Map<string, Promise<C | ErrorObject>>();

  constructor(
    private readonly api: string,
    private readonly secret: Record<string, unknown>,
    private readonly create: (secret: Record<string, unknown>) => Promise<Made<C>>,
    private readonly close?: (client: C) => Promise<void>,
  ) {
    caches.add(this as CallerClients<unknown>);
  }

  /** The calling user's client, made now if they have none (or their token changed); an error object without a user. */
  async get(): Promise<C | ErrorObject> {
    const who = caller();
    if (!who) return signInNeeded(this.api);
    const key = JSON.stringify([who.user.provider, who.user.user_id]);
    const tokenHash = createHash("sha256").update(who.token).digest("hex");
    const pendingKey = `${key}\n${tokenHash}`;
    const pending = this.making.get(pendingKey);
    if (pending) return pending;
    const now = Date.now();
    const known = this.clients.get(key);
    if (known && known.tokenHash === tokenHash && now - known.lastUsed < IDLE_MS) {
      known.lastUsed = now;
      // Most recently used last: the first entry is the one to drop when full.
      this.clients.delete(key);
      this.clients.set(key, known);
      return known.client;
    }
    if (known) this.drop(key);
    const making = this.create(withCallerToken(this.secret, who.token))
      .then((made) => {
        if (made.failure !== undefined) return made.failure;
        this.sweep(Date.now());
        if (this.clients.size >= MAX_CLIENTS) this.drop(this.clients.keys().next().value!);
        this.clients.set(key, { client: made.client, tokenHash, lastUsed: Date.now() });
        return made.client;
      })
      .finally(() => this.making.delete(pendingKey));
    this.making.set(pendingKey, making);
    return making;
  }

  /** Forget the calling user's client (the API refused their token). */
  dropCaller(): void {
    const who = caller();
    if (who) this.drop(JSON.stringify([who.user.provider, who.user.user_id]));
  }

  async clear(): Promise<void> {
    const all = [...this.clients.values()];
    this.clients.clear();
    caches.delete(this as CallerClients<unknown>);
    if (this.close) await Promise.all(all.map((e) => this.close!(e.client).catch(() => undefined)));
  }

  private sweep(now: number): void {
    for (const [key, e] of this.clients) if (now - e.lastUsed >= IDLE_MS) this.drop(key);
  }

  private drop(key: string): void {
    const e = this.clients.get(key);
    this.clients.delete(key);
    if (e && this.close) void this.close(e.client).catch(() => undefined);
  }
}

/** The API refused the caller's credentials: the next call makes them a new client. */
export function dropCallerClients(): void {
  if (runtimeState().calls.getStore()?.user) for (const c of caches) c.dropCaller();
}
