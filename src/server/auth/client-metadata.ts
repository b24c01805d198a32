// Client ID Metadata Documents (the MCP authorization spec's preferred registration): a client's id is an https
// URL, and the document at it says the client's name and where it may be sent back to. Fetching a URL a stranger
// names is a server-side request, so: https only, no redirects, a few kilobytes, a short timeout, and never to an
// address inside the network (loopback and private addresses only when this server itself is on loopback).
import { lookup } from "node:dns/promises";
import { Readable } from "node:stream";
import { InvalidClientError } from "@modelcontextprotocol/sdk/server/auth/errors.js";
import { OAuthClientMetadataSchema, type OAuthClientInformationFull } from "@modelcontextprotocol/sdk/shared/auth.js";
import { addressKind } from "../../runtime/http/addresses.js";
import { readCapped } from "../../runtime/http/capped-read.js";

const MAX_BYTES = 5 * 1024;
const CACHE_MS = 10 * 60_000;
const CACHE_MAX = 1_000;

/** Whether a client id is one (an https URL with a path), as the SDK's client decides to send one. */
export function isClientMetadataUrl(clientId: string): boolean {
  try {
    const u = new URL(clientId);
    return u.protocol === "https:" && u.pathname !== "/" && !u.hash;
  } catch {
    return false;
  }
}

export class ClientMetadataDocuments {
  private readonly cache = new Map<string, { client: OAuthClientInformationFull; until: number }>();

  /** @param allowInternal loopback and private addresses too (a server that is itself on loopback, in development). */
  constructor(private readonly allowInternal: boolean) {}

  async client(clientId: string): Promise<OAuthClientInformationFull> {
    const known = this.cache.get(clientId);
    if (known && known.until > Date.now()) return known.client;
    const client = await this.fetchDocument(clientId);
    if (this.cache.size >= CACHE_MAX) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(clientId, { client, until: Date.now() + CACHE_MS });
    return client;
  }

  private async fetchDocument(clientId: string): Promise<OAuthClientInformationFull> {
    const url = new URL(clientId);
    await this.checkHost(url.hostname);
    let response: Response;
    try {
      response = await fetch(url, { redirect: "error", signal: AbortSignal.timeout(5_000), headers: { accept: "application/json" } });
    } catch (e) {
      throw new InvalidClientError(`The client's metadata document could not be fetched from ${clientId}: ${(e as Error).message}`);
    }
    if (!response.ok) throw new InvalidClientError(`The client's metadata document at ${clientId} answered HTTP ${response.status}`);
    const body = await readDocument(response);
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      throw new InvalidClientError(`The client's metadata document at ${clientId} is not JSON`);
    }
    const doc = parsed as Record<string, unknown>;
    if (doc?.client_id !== clientId) throw new InvalidClientError(`The metadata document at ${clientId} names another client id`);
    const metadata = OAuthClientMetadataSchema.safeParse(doc);
    if (!metadata.success) throw new InvalidClientError(`The client's metadata document at ${clientId} is not valid client metadata`);
    // A document anyone can publish cannot hold a secret: such clients authenticate with PKCE alone.
    const method = metadata.data.token_endpoint_auth_method ?? "none";
    if (method !== "none") throw new InvalidClientError(`The client at ${clientId} asks for token_endpoint_auth_method ${method}; only none is accepted for a metadata document`);
    return { ...metadata.data, client_id: clientId, token_endpoint_auth_method: "none" };
  }

  private async checkHost(host: string): Promise<void> {
    const literal = addressKind(host);
    const addresses = literal ? [] : await lookup(host, { all: true }).catch(() => []);
    const kinds = [literal, ...addresses.map((a) => addressKind(a.address))].filter((k) => k !== undefined);
    if (kinds.includes("metadata") || kinds.includes("link-local")) throw new InvalidClientError(`The client id ${host} names a cloud metadata or link-local address`);
    if (!this.allowInternal && kinds.length > 0) throw new InvalidClientError(`The client id names an address inside the network (${host}); a client's metadata document must be on the public internet`);
  }
}

async function readDocument(response: Response): Promise<string> {
  if (!response.body) return "";
  const bytes = await readCapped(Readable.fromWeb(response.body as import("node:stream/web").ReadableStream), MAX_BYTES);
  if (!bytes) throw new InvalidClientError(`The client's metadata document is over ${MAX_BYTES} bytes`);
  return Buffer.from(bytes).toString("utf8");
}
