// Client ID metadata documents are fetched only from the public internet: an address inside the network is refused
// whether the client id names it (a literal address) or a name resolves to it when the connection is made.
import { describe, expect, it } from "vitest";
import { ClientMetadataDocuments, isClientMetadataUrl } from "../../src/server/auth/client-metadata.js";

describe("client ID metadata documents", () => {
  it("a client id is one only as an https URL with a path", () => {
    expect(isClientMetadataUrl("https://app.example.com/oauth/client.json")).toBe(true);
    expect(isClientMetadataUrl("https://app.example.com/")).toBe(false);
    expect(isClientMetadataUrl("http://app.example.com/client.json")).toBe(false);
    expect(isClientMetadataUrl("3f2c9a7e-0d1b-4c55-9e0a-2b7d1c8e4f10")).toBe(false);
  });

  it("hostile: loopback, private, link-local and cloud metadata addresses are never fetched (by literal or by a name that resolves there)", async () => {
    const documents = new ClientMetadataDocuments(false);
    await expect(documents.client("https://127.0.0.1/client.json")).rejects.toThrow(/inside the network/);
    await expect(documents.client("https://10.0.0.8/client.json")).rejects.toThrow(/inside the network/);
    await expect(documents.client("https://[::1]/client.json")).rejects.toThrow(/inside the network/);
    await expect(documents.client("https://169.254.169.254/latest/meta-data")).rejects.toThrow(/cloud metadata or link-local/);
    // `localhost` is a name: it is refused where the connection looks it up.
    await expect(documents.client("https://localhost/client.json")).rejects.toThrow(/inside the network \(localhost\)/);
    // A server that is itself on loopback (development) may fetch from loopback, but never from a metadata address.
    await expect(new ClientMetadataDocuments(true).client("https://169.254.169.254/latest/meta-data")).rejects.toThrow(/cloud metadata or link-local/);
  });
});
