// The OAuth proxy's store, in memory and as a directory of encrypted records: tokens found by hash only, an old
// access token gone once replaced, a spent refresh token told apart; on disk, a record moved to another kind or
// given another expiry is refused, and another client secret reads nothing.
import { cpSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ProxyStore, tokenHash, type Grant } from "../../src/server/auth/proxy-store.js";
import { tempDir } from "../helpers.js";

const grant = (id: string, access: string, refresh: string): Grant => ({
  id,
  clientId: "client-1",
  scopes: ["mcp:tools"],
  user: { provider: "github", user_id: "42", username: "octo" },
  upstream: { accessToken: "gho_upstream_secret" },
  accessHash: tokenHash(access),
  accessExpiresAt: Date.now() + 60_000,
  refreshHash: tokenHash(refresh),
  spentRefreshHashes: [],
  refreshExpiresAt: Date.now() + 3_600_000,
});

function stores(): [string, () => ProxyStore][] {
  const dir = tempDir();
  const key = ProxyStore.fileKey("team-secret");
  return [
    ["in memory", () => new ProxyStore()],
    ["as files", () => new ProxyStore({ directory: join(dir, "oauth"), key })],
  ];
}

describe("the OAuth proxy's store", () => {
  for (const [kind, make] of stores()) {
    it(`${kind}: finds a grant by its tokens, forgets an access token once replaced, and tells a spent refresh token apart`, () => {
      const store = make();
      const g = grant("g1", "at-1", "rt-1");
      store.saveGrant(g);
      expect(store.grantByAccess("at-1")?.id).toBe("g1");
      expect(store.grantByAccess("at-unknown")).toBeUndefined();
      expect(store.grantByRefresh("rt-1")).toMatchObject({ spent: false });
      const next = { ...g, accessHash: tokenHash("at-2"), refreshHash: tokenHash("rt-2"), spentRefreshHashes: [g.refreshHash] };
      store.replaceAccess(next, g.accessHash);
      expect(store.grantByAccess("at-1")).toBeUndefined();
      expect(store.grantByAccess("at-2")?.id).toBe("g1");
      expect(store.grantByRefresh("rt-1")).toMatchObject({ spent: true });
      store.revokeGrant(next);
      expect(store.grantByAccess("at-2")).toBeUndefined();
      expect(store.grantByRefresh("rt-1")).toBeUndefined();
      expect(store.grantByRefresh("rt-2")).toBeUndefined();
      // An access token past its time is not found, whatever the record says.
      store.saveGrant({ ...grant("g2", "at-3", "rt-3"), accessExpiresAt: Date.now() - 1 });
      expect(store.grantByAccess("at-3")).toBeUndefined();
    });
  }

  it("as files: records are 0600 and hold no token or user in the clear; a record moved to another kind, or given another expiry, is refused; another client secret reads nothing", () => {
    const dir = join(tempDir(), "oauth");
    const store = new ProxyStore({ directory: dir, key: ProxyStore.fileKey("team-secret") });
    store.saveGrant(grant("g1", "at-1", "rt-1"));
    store.saveCode("code-1", { clientId: "c", redirectUri: "http://127.0.0.1:9/cb", codeChallenge: "x", scopes: [], user: { provider: "github", user_id: "42", username: "octo" }, upstream: { accessToken: "gho_upstream_secret" }, expiresAt: Date.now() + 60_000 });
    const files = readdirSync(dir, { recursive: true, withFileTypes: true }).filter((f) => f.isFile());
    expect(files.length).toBe(4);
    for (const f of files) {
      const path = join(f.parentPath, f.name);
      expect((statSync(path).mode & 0o777).toString(8)).toBe("600");
      for (const clear of ["at-1", "rt-1", "gho_upstream_secret", "octo", tokenHash("at-1")]) expect(readFileSync(path, "utf8")).not.toContain(clear);
    }
    // The code's record, put where a grant's would be: decryption fails (its kind is bound to it).
    const codeFile = readdirSync(join(dir, "code"))[0]!;
    const grantFile = readdirSync(join(dir, "grant"))[0]!;
    cpSync(join(dir, "code", codeFile), join(dir, "grant", grantFile));
    expect(store.grantByAccess("at-1")).toBeUndefined();
    // A longer life written into the clear expiry: refused too.
    store.saveGrant(grant("g1", "at-1", "rt-1"));
    const path = join(dir, "grant", grantFile);
    const record = JSON.parse(readFileSync(path, "utf8")) as { exp: number };
    writeFileSync(path, JSON.stringify({ ...record, exp: record.exp + 86_400_000 }));
    expect(store.grantByAccess("at-1")).toBeUndefined();
    // Under another client secret (it was rotated) nothing is read: everyone signs in again.
    store.saveGrant(grant("g1", "at-1", "rt-1"));
    expect(new ProxyStore({ directory: dir, key: ProxyStore.fileKey("rotated") }).grantByAccess("at-1")).toBeUndefined();
    expect(new ProxyStore({ directory: dir, key: ProxyStore.fileKey("team-secret") }).grantByAccess("at-1")?.id).toBe("g1");
  });
});
