// Client ID Metadata Documents (the MCP authorization spec's preferred registration): a client's id is an https
// URL, and the document at it says the client's name and where it may be sent back to. Fetching a URL a stranger
// names is a server-side request, so: https only, no redirects, a few kilobytes, a short timeout, and never to an
// address inside the network (loopback and private addresses only when this server itself is on loopback).
import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import { request as httpsRequest } from "node:https";
import { isIP, type LookupFunction } from "node:net";
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
    const body = await this.download(url, clientId);
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

  /** Where a request may go: refused addresses throw (metadata and link-local always, the rest unless allowed). */
  private checkAddress(host: string, address: string): void {
    const kind = addressKind(address);
    if (kind === "metadata" || kind === "link-local") throw new InvalidClientError(`The client id ${host} names a cloud metadata or link-local address`);
    if (kind !== undefined && !this.allowInternal) throw new InvalidClientError(`The client id names an address inside the network (${host}); a client's metadata document must be on the public internet`);
  }

  /**
   * The document's text. Addresses are checked as the connection is made (in its lookup), so a name that resolves
   * to a public address when checked and an internal one when connecting (DNS rebinding) is refused too.
   */
  private download(url: URL, clientId: string): Promise<string> {
    const host = url.hostname.replace(/^\[|\]$/g, "");
    if (isIP(host)) this.checkAddress(url.hostname, host);
    const checkedLookup: LookupFunction = (hostname, options, callback) =>
      dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
        if (err) return (callback as (e: Error) => void)(err);
        try {
          for (const a of addresses) this.checkAddress(hostname, a.address);
        } catch (e) {
          return (callback as (e: Error) => void)(e as Error);
        }
        if (options.all) (callback as (e: null, a: LookupAddress[]) => void)(null, addresses);
        else (callback as (e: null, a: string, f: number) => void)(null, addresses[0]!.address, addresses[0]!.family);
      });
    return new Promise((resolve, reject) => {
      const fail = (e: unknown) => reject(e instanceof InvalidClientError ? e : new InvalidClientError(`The client's metadata document could not be fetched from ${clientId}: ${(e as Error).message}`));
      const req = httpsRequest(url, { method: "GET", headers: { accept: "application/json" }, lookup: checkedLookup, timeout: 5_000 }, (res) => {
        // Redirects are not followed: the document must be at the client id itself.
        if (res.statusCode !== 200) {
          res.resume();
          return reject(new InvalidClientError(`The client's metadata document at ${clientId} answered HTTP ${res.statusCode}`));
        }
        readCapped(res, MAX_BYTES).then((bytes) => (bytes ? resolve(Buffer.from(bytes).toString("utf8")) : reject(new InvalidClientError(`The client's metadata document is over ${MAX_BYTES} bytes`))), fail);
      });
      req.on("timeout", () => req.destroy(new Error("no answer within 5 s")));
      req.on("error", fail);
      req.end();
    });
  }
}
